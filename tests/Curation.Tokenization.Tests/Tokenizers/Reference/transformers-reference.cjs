// Writes ../transformers-reference.jsonl: the ids Hugging Face's tokenizers (transformers.js) give for the real
// tokenizer.json files in ../shared/fixtures/tokenizers, with no special tokens added. See README.md.
const { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const fixtures = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures', 'tokenizers');
const texts = [
  'hello world',
  // Decomposed accents and Hangul jamo: NFC composes them before splitting.
  'cafe\u0301 nai\u0308ve a\u0300 la\u0300 \u1100\u1161\u11a8 \u1112\u1161\u11ab',
  'ﬁnance Ⅻ ０１２ ｶﾀｶﾅ',
  "𝐇'll be there, 𝐇𝐞𝐥𝐥𝐨 and 𝐇ello",
  '𝟙𝟚𝟛 and 𝟏𝟐𝟑𝟒 and 123',
  '👍hello 😀world 😀 x 𝒜𝒷𝒸 mixed',
  '𐌰𐌱𐌲 Gothic, 𠀀𠀁 CJK-B, 𝑥² 𝔸\n\n😀\r\n😀  ',
  '1'.repeat(100),
  'Привет, мир! 日本語のテキストと中文混合 emoji 👍🏽 family 👨‍👩‍👧',
  "don't we'LL I'M 12345 3.14159\n\tdef f(x):\n    return x**2  # ✓  ",
  '<|im_start|>user\nHi there!<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello.<|im_end|>\n',
];

// qwen2.5 with a DeepSeek-style pre-tokenizer: three Splits in a Sequence, then ByteLevel without its own regex
// (HuggingFaceTokenizerJsonTests.SequencePreTokenizer writes the same file).
const sequencePreTokenizer = {
  type: 'Sequence',
  pretokenizers: [
    { type: 'Split', pattern: { Regex: '\\p{N}{1,3}' }, behavior: 'Isolated', invert: false },
    { type: 'Split', pattern: { Regex: '[一-龥\u3040-ゟ゠-ヿ]+' }, behavior: 'Isolated', invert: false },
    { type: 'Split', pattern: { Regex: "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+" }, behavior: 'Isolated', invert: false },
    { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
  ],
};

function jsonLine(row) {
  return '{' + Object.entries(row).map(([key, value]) =>
    JSON.stringify(key) + ': ' + (Array.isArray(value) ? '[' + value.join(', ') + ']' : JSON.stringify(value))).join(', ') + '}';
}

(async () => {
  const { env, AutoTokenizer } = require('@huggingface/transformers');
  env.allowRemoteModels = false;
  const variants = mkdtempSync(path.join(os.tmpdir(), 'tokenizers-'));
  mkdirSync(path.join(variants, 'qwen2.5-sequence'));
  const json = JSON.parse(readFileSync(path.join(fixtures, 'qwen2.5', 'tokenizer.json'), 'utf8'));
  json.pre_tokenizer = sequencePreTokenizer;
  writeFileSync(path.join(variants, 'qwen2.5-sequence', 'tokenizer.json'), JSON.stringify(json));
  copyFileSync(path.join(fixtures, 'qwen2.5', 'tokenizer_config.json'), path.join(variants, 'qwen2.5-sequence', 'tokenizer_config.json'));

  const lines = [];
  for (const tokenizer of ['qwen2.5', 'qwen3', 'qwen2.5-sequence']) {
    env.localModelPath = (tokenizer.endsWith('-sequence') ? variants : fixtures) + path.sep;
    const loaded = await AutoTokenizer.from_pretrained(tokenizer);
    for (const text of texts) {
      lines.push(jsonLine({ tokenizer, text, ids: loaded.encode(text, { add_special_tokens: false }) }));
    }
  }
  writeFileSync(path.join(__dirname, '..', 'transformers-reference.jsonl'), lines.join('\n') + '\n');
})();
