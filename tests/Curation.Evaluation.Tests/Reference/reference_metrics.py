"""Independent reference for the answer metrics, written from the definitions they follow.

usage: reference_metrics.py INPUT.json OUTPUT.json
INPUT: a list of cases {"metric", "answer", "expected", "pattern", "schema", "choices"} (absent fields are null)
OUTPUT: the list of their scores, null where the metric does not apply to the case.

normalize_answer and f1_score are the official SQuAD v1.1 evaluation script's (evaluate-v1.1.py); rouge_l follows
Google's rouge-score package (rouge_scorer.RougeScorer(["rougeL"]) with its default tokenizer, no stemmer); json_schema
uses the jsonschema package (Debian python3-jsonschema), draft 2020-12 unless the schema names another.
"""
import json
import re
import string
import sys
from collections import Counter

import jsonschema


# --- SQuAD v1.1, evaluate-v1.1.py ---
def normalize_answer(s):
    """Lower text and remove punctuation, articles and extra whitespace."""
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1


# --- rouge-score: tokenize.tokenize(text, stemmer=None) and rouge_scorer._score_lcs ---
def rouge_tokenize(text):
    text = text.lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    tokens = re.split(r"\s+", text)
    return [x for x in tokens if re.match(r"^[a-z0-9]+$", x)]


def lcs_length(ref, can):
    rows, cols = len(ref), len(can)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            if ref[i - 1] == can[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def rouge_l(target, prediction):
    target_tokens, prediction_tokens = rouge_tokenize(target), rouge_tokenize(prediction)
    if not target_tokens or not prediction_tokens:
        return 0.0
    lcs = lcs_length(target_tokens, prediction_tokens)
    precision = lcs / len(prediction_tokens)
    recall = lcs / len(target_tokens)
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


# --- JSON in an answer: the whole answer, else the first ```json fence ---
def _reject_constant(name):
    raise ValueError(name)


def parse_json(text):
    text = text.strip()
    if not text:
        return None
    try:
        return (json.loads(text, parse_constant=_reject_constant),)
    except ValueError:
        return None


def answer_json(answer):
    whole = parse_json(answer)
    if whole is not None:
        return whole
    fence = re.search(r"```[Jj][Ss][Oo][Nn][ \t]*\r?\n(.*?)```", answer, re.S)
    return parse_json(fence.group(1)) if fence else None


def schema_valid(schema_text, answer):
    schema = json.loads(schema_text)
    parsed = answer_json(answer)
    if parsed is None:
        return 0.0
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return 1.0 if validator(schema).is_valid(parsed[0]) else 0.0


# --- multiple choice: the documented rule (whole reply, last "answer" statement, opening label) ---
def chosen_label(answer, labels):
    trimmed = answer.strip()
    bare = trimmed.lstrip("([* \t").rstrip(")]*.: \t")
    for label in labels:
        if bare.lower() == label.lower():
            return label
    alternatives = "|".join(re.escape(l) for l in sorted(labels, key=lambda l: (-len(l), l)))
    statements = list(re.finditer(r"(?i:\banswer\b)\s*(?:(?i:is)\b\s*)?(?:[:\-]\s*)?(?:[\(\[\*]+\s*)?(" + alternatives + r")(?!\w)", trimmed))
    if statements:
        return statements[-1].group(1)
    opening = re.match(r"[\(\[\*]*(" + alternatives + r")(?:[\)\]\.:]|\*+(?:[\s\)\.:]|$)|\s+[-\u2013\u2014]\s|[ \t]*\r?\n)", trimmed)
    return opening.group(1) if opening else None


def score(case):
    metric, answer, expected = case["metric"], case["answer"], case.get("expected")
    if metric == "json_valid":
        return 0.0 if answer_json(answer) is None else 1.0
    if metric == "json_schema":
        return None if case.get("schema") is None else schema_valid(case["schema"], answer)
    if expected is None:
        return None
    if metric == "exact_match":
        return 1.0 if answer.strip() == expected.strip() else 0.0
    if metric == "normalized_match":
        return 1.0 if normalize_answer(answer) == normalize_answer(expected) else 0.0
    if metric == "contains":
        wanted = normalize_answer(expected)
        return None if not wanted else (1.0 if f" {wanted} " in f" {normalize_answer(answer)} " else 0.0)
    if metric == "token_f1":
        return float(f1_score(answer, expected))
    if metric == "rouge_l":
        return rouge_l(expected, answer)
    if metric == "regex":
        if case.get("pattern") is None:
            return None
        match = re.search(case["pattern"], answer)
        if match is None:
            return 0.0
        extracted = match.group(1) if match.re.groups >= 1 and match.group(1) is not None else match.group(0)
        return 1.0 if normalize_answer(extracted) == normalize_answer(expected) else 0.0
    if metric == "multiple_choice":
        if not case.get("choices"):
            return None
        label = chosen_label(answer, case["choices"])
        return 1.0 if label is not None and label.lower() == expected.strip().lower() else 0.0
    raise ValueError("unknown metric " + metric)


cases = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump([score(case) for case in cases], open(sys.argv[2], "w"))
