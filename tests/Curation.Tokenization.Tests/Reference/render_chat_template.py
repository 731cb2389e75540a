"""Renders chat templates with Python's Jinja2 exactly as Hugging Face transformers does, for comparison.

The environment is transformers' (utils/chat_template_utils.py): ImmutableSandboxedEnvironment with
trim_blocks=True and lstrip_blocks=True, the loop-controls extension, the {% generation %} tracker, transformers'
own tojson filter, raise_exception and strftime_now (here at a fixed time, so renderings are reproducible).

Reads {"cases": [{"template": str, "context": {...}, "now": "YYYY-MM-DDTHH:MM:SS"}]} on stdin and writes one result
per case to stdout: {"text": str, "generation": [[start, end], ...]} (offsets in UTF-16 code units) or {"error": str}.
"""

import json
import sys
from contextlib import contextmanager
from datetime import datetime

import jinja2
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment


class AssistantTracker(Extension):
    """transformers' {% generation %} tag: renders its body and records where it landed in the output."""

    tags = {"generation"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(activate_tracker=self.activate_tracker)
        self._rendered_blocks = None
        self._generation_indices = None

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    @jinja2.pass_eval_context
    def _generation_support(self, context, caller):
        rv = caller()
        if self._rendered_blocks is not None:
            start_index = len("".join(self._rendered_blocks))
            end_index = start_index + len(rv)
            self._generation_indices.append((start_index, end_index))
        return rv

    @contextmanager
    def activate_tracker(self, rendered_blocks, generation_indices):
        try:
            self._rendered_blocks = rendered_blocks
            self._generation_indices = generation_indices
            yield
        finally:
            self._rendered_blocks = None
            self._generation_indices = None


def environment(now):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return now.strftime(format)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def utf16_offset(text, index):
    return len(text[:index].encode("utf-16-le")) // 2


def render(case):
    now = datetime.fromisoformat(case.get("now", "2024-07-26T10:00:00"))
    try:
        template = environment(now).from_string(case["template"])
        blocks, generation = [], []
        with template.environment.activate_tracker(blocks, generation):
            for block in template.generate(**case.get("context", {})):
                blocks.append(block)
        text = "".join(blocks)
        return {"text": text, "generation": [[utf16_offset(text, s), utf16_offset(text, e)] for s, e in generation]}
    except Exception as error:  # every failure is a result to compare with ours
        return {"error": f"{type(error).__name__}: {error}"}


def main():
    request = json.load(sys.stdin)
    json.dump([render(case) for case in request["cases"]], sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
