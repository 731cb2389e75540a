"""Trains small SentencePiece models on a corpus and encodes strings with the official library (python3-sentencepiece).

    python3 sentencepiece_reference.py CORPUS STRINGS_JSON OUTPUT_FOLDER

Writes OUTPUT_FOLDER/NAME.model for each model below and OUTPUT_FOLDER/ids.json: {NAME: [[id, ...] for each string]}.
"""
import json
import os
import sys

import sentencepiece as spm

MODELS = {
    # Byte fallback, nmt_nfkc (the defaults), as Llama 2 and Mistral are trained.
    "bpe": dict(model_type="bpe", vocab_size=400, byte_fallback=True),
    "unigram": dict(model_type="unigram", vocab_size=300, byte_fallback=True),
    # No byte fallback (unknown pieces), a user-defined symbol, no whitespace clean-up, identity normalisation.
    "bpe-plain": dict(model_type="bpe", vocab_size=120, user_defined_symbols=["<sep>"], remove_extra_whitespaces=False,
                      normalization_rule_name="identity"),
    "unigram-plain": dict(model_type="unigram", vocab_size=120, user_defined_symbols=["<sep>"],
                          normalization_rule_name="nfkc_cf"),
}


def main(corpus, strings_path, output):
    with open(strings_path, encoding="utf-8") as f:
        strings = json.load(f)
    result = {}
    for name, options in MODELS.items():
        prefix = os.path.join(output, name)
        spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, minloglevel=2, num_threads=1,
                                       character_coverage=1.0, hard_vocab_limit=False, **options)
        processor = spm.SentencePieceProcessor(model_file=prefix + ".model")
        result[name] = [processor.encode(s) for s in strings]
    with open(os.path.join(output, "ids.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
