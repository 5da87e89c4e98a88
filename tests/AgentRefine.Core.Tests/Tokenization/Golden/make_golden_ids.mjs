// Makes the golden token ids for the tokenization tests from two independent reference implementations.
//
//   npm install --prefix /tmp/golden-tools @huggingface/tokenizers@0.2.0 @agnai/sentencepiece-js@1.1.1
//   GOLDEN_TOOLS=/tmp/golden-tools node tests/AgentRefine.Core.Tests/Tokenization/Golden/make_golden_ids.mjs
//
// Run from the repository root after make_golden.py, with the Llama-3 tokenizer restored in
// tests/.tokenizers/llama3 (the test build does it) and ../shared beside the repository.
//
// - llama3: Hugging Face's tokenizers.js (@huggingface/tokenizers) over the model's tokenizer.json,
//   tokenizer.encode(text, {add_special_tokens: false}) on the whole rendered text.
// - mistral-v0.3: the SentencePiece library itself (compiled to WebAssembly, @agnai/sentencepiece-js) over
//   tokenizer.model. Hugging Face's tokenizer for it splits the special tokens out and encodes each
//   stretch between them with Metaspace (prepend_scheme "first", no split): spaces become U+2581, and a
//   U+2581 is prepended only to a stretch at the start of the text that does not begin with one. So a
//   stretch " x" after a special token is BPE("▁x"), which is SentencePiece's encoding of "x" (its dummy
//   prefix gives the same "▁"); a lone " " is the piece "▁"; a stretch at the start of the text is
//   SentencePiece's encoding of the text without its first space, if it has one.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const tools = process.env.GOLDEN_TOOLS;
if (!tools) throw new Error("set GOLDEN_TOOLS to the folder where the two npm packages are installed");
const require = createRequire(path.join(path.resolve(tools), "package.json"));
const { Tokenizer } = require("@huggingface/tokenizers");
const { SentencePieceProcessor } = require("@agnai/sentencepiece-js");

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, "../../../..");
const llamaDir = path.join(root, "tests/.tokenizers/llama3");
const mistralModel = path.resolve(root, "../shared/data/tokenizers/mistral-v0.3/tokenizer.model");

const llama = new Tokenizer(
  JSON.parse(fs.readFileSync(path.join(llamaDir, "tokenizer.json"), "utf8")),
  JSON.parse(fs.readFileSync(path.join(llamaDir, "tokenizer_config.json"), "utf8")));
const llamaEncode = text => llama.encode(text, { add_special_tokens: false }).ids;

const sp = new SentencePieceProcessor();
await sp.load(mistralModel);
const mistralSpecials = { "<s>": 1, "</s>": 2, "[INST]": 3, "[/INST]": 4 };
const lonePiece = sp.encodeIds("😀")[0]; // "▁" alone: SentencePiece writes 😀 as "▁", "😀"
function mistralStretch(stretch, atStart) {
  if (stretch.length === 0) return [];
  if (stretch === " ") return [lonePiece];
  if (stretch.startsWith(" ")) return sp.encodeIds(stretch.slice(1));
  if (!atStart) throw new Error(`a stretch after a special token without a leading space cannot be made with SentencePiece: ${JSON.stringify(stretch)}`);
  return sp.encodeIds(stretch);
}
function mistralEncode(text) {
  const ids = [];
  let rest = text, start = true;
  for (;;) {
    let best = -1, token = null;
    for (const special of Object.keys(mistralSpecials)) {
      const i = rest.indexOf(special);
      if (i >= 0 && (best < 0 || i < best || (i === best && special.length > token.length))) { best = i; token = special; }
    }
    if (best < 0) { ids.push(...mistralStretch(rest, start)); return ids; }
    ids.push(...mistralStretch(rest.slice(0, best), start), mistralSpecials[token]);
    rest = rest.slice(best + token.length);
    start = false;
  }
}

const lines = file => fs.readFileSync(path.join(here, file), "utf8").split("\n").filter(l => l.length).map(l => JSON.parse(l));
const write = (file, rows) => fs.writeFileSync(path.join(here, file), rows.map(r => JSON.stringify(r)).join("\n") + "\n");

write("ids.llama3.jsonl", lines("rendered.llama3.jsonl").map(r => ({ id: r.id, input_ids: llamaEncode(r.text) })));
write("ids.mistral-v0.3.jsonl", lines("rendered.mistral-v0.3.jsonl").map(r => ({ id: r.id, input_ids: mistralEncode(r.text) })));

const strings = JSON.parse(fs.readFileSync(path.join(here, "strings.json"), "utf8"));
write("strings.llama3.jsonl", [...strings.common, ...strings["llama3-specials"]].map(text => ({ text, ids: llamaEncode(text) })));
write("strings.mistral-v0.3.jsonl", [...strings.common, ...strings["mistral-specials"]].map(text => ({ text, ids: mistralEncode(text) })));
