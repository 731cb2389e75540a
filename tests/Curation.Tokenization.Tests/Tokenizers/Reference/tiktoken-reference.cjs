// Writes ../tiktoken-reference.jsonl: tiktoken's ids for each named encoding and text. See README.md.
const { get_encoding } = require('tiktoken');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const texts = [
  'hello world',
  'Привет, мир! Как дела?',
  '日本語のテキストと中文混合',
  'emoji 👍🏽 family 👨‍👩‍👧 done',
  'tabs\t\tand    spaces\n\n\nnewlines   ',
  '<|endoftext|> is special',
  'supercalifragilisticexpialidociousxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  '  leading and trailing  ',
  "don't we'll I'M 12345 3.14159",
  'def f(x):\n    return x**2  # ✓',
  // Outside the Basic Multilingual Plane: letters and digits that are surrogate pairs in UTF-16.
  "𝐇'll be there, 𝐇𝐞𝐥𝐥𝐨 and 𝐇ello",
  '𝟙𝟚𝟛 and 𝟏𝟐𝟑𝟒 and 123',
  '👍hello 😀world 😀 x 𝒜𝒷𝒸 mixed',
  '𐌰𐌱𐌲 Gothic, 𠀀𠀁 CJK-B, 𝑥² 𝔸\n\n😀\r\n😀  ',
];

// One object a line, with a space after each colon and comma outside strings.
function jsonLine(row) {
  return '{' + Object.entries(row).map(([key, value]) =>
    JSON.stringify(key) + ': ' + (Array.isArray(value) ? '[' + value.join(', ') + ']' : JSON.stringify(value))).join(', ') + '}';
}

const lines = [];
for (const encoding of ['gpt2', 'r50k_base', 'cl100k_base', 'o200k_base']) {
  const tokenizer = get_encoding(encoding);
  for (const text of texts) {
    lines.push(jsonLine({ encoding, text, ids: Array.from(tokenizer.encode(text, 'all')) }));
  }
  tokenizer.free();
}
writeFileSync(path.join(__dirname, '..', 'tiktoken-reference.jsonl'), lines.join('\n') + '\n');
