// The reference side of `dotnet run -c Release --project benchmarks/AgentRefine.Benchmarks -- tokenize`:
// Hugging Face's tokenizers.js (@huggingface/tokenizers) encodes every text of a JSON Lines file of strings
// with a model's tokenizer.json, add_special_tokens: false, after one warm-up pass over the first 1,000.
//
//   node hf-encode.mjs <node_modules parent> <model folder> <texts.jsonl>
//
// Prints one JSON line: {"texts", "tokens", "seconds"} (encoding only; loading and reading excluded).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [tools, model, file] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(tools), "package.json"));
const { Tokenizer } = require("@huggingface/tokenizers");
const tokenizer = new Tokenizer(
  JSON.parse(fs.readFileSync(path.join(model, "tokenizer.json"), "utf8")),
  JSON.parse(fs.readFileSync(path.join(model, "tokenizer_config.json"), "utf8")));
const texts = fs.readFileSync(file, "utf8").split("\n").filter(line => line.length).map(line => JSON.parse(line));

for (const text of texts.slice(0, 1000)) tokenizer.encode(text, { add_special_tokens: false });
let tokens = 0;
const start = process.hrtime.bigint();
for (const text of texts) tokens += tokenizer.encode(text, { add_special_tokens: false }).ids.length;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ texts: texts.length, tokens, seconds }));
