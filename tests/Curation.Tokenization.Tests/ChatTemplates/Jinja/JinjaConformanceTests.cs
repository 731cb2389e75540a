using System.Text.Json.Nodes;
using Curation.Tokenization.ChatTemplates.Jinja;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;
using Curation.Tokenization.ChatTemplates.Jinja.Syntax;

namespace Curation.Tokenization.Tests.ChatTemplates.Jinja;

/// <summary>
/// Small templates, each exercising one part of the language, rendered by our interpreter and by Python's Jinja2 in
/// transformers' environment: the text must be equal byte for byte, and where Jinja2 fails ours must fail too.
/// </summary>
public sealed class JinjaConformanceTests
{
    private static readonly (string Name, string Template, string Context)[] Cases =
    [
        // Whitespace control: trim_blocks, lstrip_blocks, '-' and '+'.
        ("trim-blocks", "{% if true %}\nyes\n{% endif %}\nend", "{}"),
        ("lstrip-blocks", "a\n    {% if true %}\n    b\n    {% endif %}\nc", "{}"),
        ("lstrip-not-variables", "a\n    {{ 'x' }}\n  {# note #}\nb", "{}"),
        ("minus-both-sides", "a  \n {%- if true -%}  \n b {%- endif %}\n c", "{}"),
        ("plus-keeps", "a\n    {%+ if true %}b{% endif +%}\nc", "{}"),
        ("variable-minus", "a  {{- 'x' -}}  b", "{}"),
        ("trailing-newline-dropped", "x\n", "{}"),
        ("two-trailing-newlines", "x\n\n", "{}"),
        ("crlf", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc", "{}"),
        ("comment-trim", "a {# c #}\nb\n  {#- c -#}  \nd", "{}"),
        ("raw", "{% raw %}{{ x }}{% endraw %}|{%- raw -%}  {% y %}  {%- endraw %}", "{}"),
        ("lstrip-after-expression", "{{ 'a' }}  {% if true %}b{% endif %}", "{}"),

        // Literals and output conversion.
        ("literals", "{{ 1 }} {{ 1.5 }} {{ 1e3 }} {{ 1_000 }} {{ 0x1f }} {{ 'a' 'b' }} {{ \"q\\\"\" }} {{ true }} {{ none }} {{ None }}", "{}"),
        ("string-escapes", "{{ 'tab\\there\\nnewline \\u00e9 \\x41 \\\\ \\d' }}", "{}"),
        ("list-repr", "{{ [1, 'a', none, 1.0, true, [2], {'k': 'v'}, ('t',)] }}", "{}"),
        ("string-repr-quotes", "{{ [\"it's\", 'say \"hi\"', 'both \\' \"', 'nl\\n'] }}", "{}"),
        ("float-text", "{{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e-5 }} {{ 123456789.0 }} {{ 2.5e-4 }} {{ 10 / 4 }} {{ 10 / 5 }} {{ -0.0 }}", "{}"),
        ("tuple-output", "{{ 1, 2 }}", "{}"),
        ("dict-repr", "{{ {'a': 1, 2: 'b', 'c': {'d': [none]}} }}", "{}"),

        // Arithmetic and operators.
        ("math", "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7.5 % 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 3 * 'ab' }} {{ [1] * 3 }} {{ -(3) }} {{ +3 }}", "{}"),
        ("precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 1 ~ 2 * 3 }} {{ 'a' ~ 'b' + 'c' }} {{ not 1 == 2 }}", "{}"),
        ("power-and-round-edges", "{{ 1 ** 1000000000 }} {{ (-1) ** 1000000001 }} {{ 0 ** 0 }} {{ 3 ** 4 }} {{ 1234 | round(-2) }} {{ 1250 | round(-2) }} {{ 1.5 | round(1000000) }} {{ 123.456 | round(-1) }} {{ 2.5 | round(0) }}", "{}"),
        ("power-overflow-fails", "{{ 2 ** 100000 }}", "{}"),
        ("concat-binds-tighter-than-plus-fails", "{{ 1 ~ 2 + 3 }}", "{}"),
        ("concat", "{{ 'a' ~ 1 ~ none ~ undefined_thing ~ [1] }}", "{}"),
        ("comparisons", "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'a' }} {{ none == none }}", "{}"),
        ("in-operator", "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'x' not in 'abc' }} {{ 'a' in undefined_thing }}", "{}"),
        ("and-or-values", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] or 'last' }}", "{}"),
        ("ternary", "{{ 'y' if 1 else 'n' }} {{ 'y' if 0 else 'n' }} [{{ 'y' if 0 }}] {{ 'a' if false else 'b' if true else 'c' }}", "{}"),
        ("string-plus-number-fails", "{{ 'a' + 1 }}", "{}"),
        ("divide-by-zero-fails", "{{ 1 / 0 }}", "{}"),
        ("compare-mixed-fails", "{{ 'a' < 1 }}", "{}"),

        // Lookups, slicing, undefined.
        ("attribute-and-item", "{{ m.role }} {{ m['content'] }} {{ m.missing }}|{{ m['missing'] }}|{{ xs[1] }} {{ xs[-1] }} {{ xs.1 }} {{ xs[5] }}|", "{\"m\": {\"role\": \"user\", \"content\": \"hi\"}, \"xs\": [\"a\", \"b\", \"c\"]}"),
        ("dict-method-shadows-key", "{{ d.items()|list }} {{ d['items'] }} {{ d.get('x') }} {{ d.get('zz', 'dflt') }} {{ d.keys()|list }} {{ d.values()|list }}", "{\"d\": {\"items\": 1, \"x\": 2}}"),
        ("slicing", "{{ s[1:] }} {{ s[:-1] }} {{ s[::-1] }} {{ s[::2] }} {{ xs[1:3] }} {{ xs[-2:] }} {{ xs[::-1] }} {{ xs[10:] }} {{ s[-100:2] }} {{ xs[3:0:-1] }}", "{\"s\": \"hello\", \"xs\": [1, 2, 3, 4, 5]}"),
        ("slice-of-none-fails", "[{{ n[1:] }}]", "{\"n\": null}"),
        ("undefined-behaviour", "[{{ nope }}] {{ nope is defined }} {{ nope is undefined }} {{ nope | default('d') }} {{ nope | length }} {{ nope | list }} {% for x in nope %}x{% else %}empty{% endfor %} {{ not nope }} {{ nope == nope }}", "{}"),
        ("undefined-attribute-fails", "{{ nope.attr }}", "{}"),
        ("undefined-arithmetic-fails", "{{ nope + 1 }}", "{}"),
        ("none-attribute-is-undefined", "[{{ n.attr }}] {{ n.attr is defined }}", "{\"n\": null}"),
        ("empty-list-item-fails", "{{ messages[0]['role'] }}", "{\"messages\": []}"),
        ("default-boolean", "{{ '' | default('d') }} {{ '' | default('d', true) }} {{ none | d('x', boolean=true) }}", "{}"),
        ("unicode-index", "{{ s[1] }} {{ s | length }} {{ s[::-1] }} {{ s[1:2] }}", "{\"s\": \"a😀b\"}"),

        // Statements.
        ("for-loop-variables", "{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}", "{\"xs\": [\"a\", \"b\", \"c\"]}"),
        ("for-prev-next", "{% for x in xs %}[{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }}]{% endfor %}", "{\"xs\": [1, 2, 3]}"),
        ("for-filter-else", "{% for x in xs if x > 1 %}{{ x }}:{{ loop.index }}/{{ loop.length }} {% endfor %}{% for x in [] %}never{% else %}else{% endfor %}", "{\"xs\": [1, 2, 3]}"),
        ("for-unpack", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}", "{\"d\": {\"x\": 1, \"y\": 2}}"),
        ("for-dict-and-string", "{% for k in d %}{{ k }}{% endfor %}|{% for c in 'abc' %}{{ c }}-{% endfor %}", "{\"d\": {\"x\": 1, \"y\": 2}}"),
        ("loop-scoping", "{% set x = 0 %}{% for i in range(3) %}{{ x }}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}", "{}"),
        ("namespace", "{% set ns = namespace(count=0, found=false) %}{% for i in range(4) %}{% set ns.count = ns.count + i %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }} {{ ns.missing is defined }}", "{}"),
        ("if-elif-else", "{% for i in range(4) %}{% if i == 0 %}zero{% elif i == 1 %}one{% elif i == 2 %}two{% else %}many{% endif %} {% endfor %}", "{}"),
        ("if-scope-leaks", "{% if true %}{% set y = 5 %}{% endif %}{{ y }}", "{}"),
        ("set-tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = 1, 2 %}{{ t }}", "{}"),
        ("block-set", "{% set body %}\n  inner {{ 1 + 1 }}\n{% endset %}[{{ body }}]{% set up | upper %}abc{% endset %}{{ up }}", "{}"),
        ("macro", "{% macro greet(name, punct='!') %}Hello {{ name }}{{ punct }}{% endmacro %}{{ greet('a') }} {{ greet('b', '?') }} {{ greet(name='c', punct='.') }} {{ greet() }}", "{}"),
        ("macro-sees-later-globals", "{% set y = 5 %}{% macro m() %}{{ y }}{{ z }}{% endmacro %}{% set z = 3 %}{{ m() }}{% set y = 7 %}{{ m() }}", "{}"),
        ("macro-varargs-kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }}", "{}"),
        ("macro-recursion", "{% macro count(n) %}{{ n }}{% if n > 0 %}{{ count(n - 1) }}{% endif %}{% endmacro %}{{ count(5) }}", "{}"),
        ("call-block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ 1 }}{% endcall %}{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}", "{}"),
        ("filter-block", "{% filter upper %}shout {{ 'it' }}{% endfilter %}{% filter trim | replace('a', 'o') %}  banana  {% endfilter %}", "{}"),
        ("with-block", "{% with a = 1, b = 'x' %}{{ a }}{{ b }}{% endwith %}[{{ a }}]", "{}"),
        ("break-continue", "{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", "{}"),
        ("loop-cycle-changed", "{% for x in [1, 1, 2, 3, 3] %}{{ loop.cycle('a', 'b') }}{% if loop.changed(x) %}!{% endif %}{% endfor %}", "{}"),
        ("nested-loops", "{% for a in [1, 2] %}{% set outer = loop %}{% for b in 'xy' %}{{ outer.index }}{{ loop.index }}{{ b }} {% endfor %}{% endfor %}", "{}"),
        ("print", "{% print 'printed' %}", "{}"),

        // Filters.
        ("filter-strings", "{{ '  x  ' | trim }}|{{ 'xxaxx' | trim('x') }}|{{ 'hello world-wide (test)' | title }}|{{ 'hELLO there' | capitalize }}|{{ 'Ab' | upper }}{{ 'Ab' | lower }}|{{ 'a-b-c' | replace('-', '+') }}|{{ 'aaa' | replace('a', 'b', 2) }}", "{}"),
        ("filter-length-count", "{{ [1, 2] | length }} {{ 'abc' | count }} {{ {'a': 1} | length }}", "{}"),
        ("filter-join-map", "{{ [1, 2, 3] | join(', ') }} {{ users | map(attribute='name') | join('/') }} {{ users | map(attribute='age', default=0) | list }} {{ ['a', 'b'] | map('upper') | list }} {{ users | join(',', attribute='name') }}", "{\"users\": [{\"name\": \"ann\", \"age\": 3}, {\"name\": \"bob\"}]}"),
        ("filter-select-reject", "{{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('even') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ xs | selectattr('role', 'equalto', 'user') | map(attribute='c') | list }} {{ xs | rejectattr('role', '==', 'user') | list | length }} {{ xs | selectattr('flag') | list | length }} {{ [1, 5, 10] | select('>', 3) | list }} {{ [1, 2, 3] | select('in', [2, 3]) | list }}", "{\"xs\": [{\"role\": \"user\", \"c\": 1, \"flag\": true}, {\"role\": \"assistant\", \"c\": 2}]}"),
        ("filter-first-last-list", "{{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} {{ 'abc' | first }} {{ 'abc' | list }} {{ [] | first is defined }} {{ {'a': 1, 'b': 2} | list }}", "{}"),
        ("filter-numbers", "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ '0x1A' | int(0, 16) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 'no' | float }} {{ -3 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 3.14159 | round(2, 'floor') }} {{ 3.1 | round(0, 'ceil') }} {{ 3 | round }} {{ true | int }}", "{}"),
        ("filter-string-list", "{{ 123 | string }} {{ [1] | string }} {{ none | string }} {{ 'ab' | reverse }} {{ [1, 2] | reverse | list }}", "{}"),
        ("filter-items-dictsort", "{{ d | items | list }} {{ d | dictsort }} {{ d | dictsort(reverse=true) }} {{ d | dictsort(by='value') }} {{ nope | items | list }}", "{\"d\": {\"b\": 2, \"A\": 3, \"c\": 1}}"),
        ("filter-sort-unique", "{{ ['b', 'A', 'c', 'a'] | sort }} {{ ['b', 'A', 'c', 'a'] | sort(case_sensitive=true) }} {{ [3, 1, 2] | sort(reverse=true) }} {{ users | sort(attribute='age') | map(attribute='name') | list }} {{ ['a', 'A', 'b', 'a'] | unique | list }} {{ ['a', 'A'] | unique(case_sensitive=true) | list }}", "{\"users\": [{\"name\": \"x\", \"age\": 30}, {\"name\": \"y\", \"age\": 20}]}"),
        ("filter-min-max-sum", "{{ [3, 1, 2] | min }} {{ [3, 1, 2] | max }} {{ ['b', 'A'] | max }} {{ [1, 2, 3] | sum }} {{ users | sum(attribute='age') }} {{ [] | max is defined }}", "{\"users\": [{\"age\": 30}, {\"age\": 20}]}"),
        ("filter-indent", "{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent('> ', blank=true) }}|{{ 'x\\n' | indent }}", "{}"),
        ("filter-misc", "{{ 'a b  c' | wordcount }} {{ 'hello' | center(11) }}| {{ [1, 2, 3, 4, 5] | batch(2) | list }} {{ [1, 2, 3, 4, 5] | slice(2) | list }} {{ 'long text here ok' | truncate(9, leeway=0) }} {{ 'abc' | truncate(5) }} {{ '%s-%d' | format('a', 3) }} {{ '<b>' | e }} {{ '<b>' | safe }} {{ ('x' | safe) + '<' }}", "{}"),
        ("filter-attr", "{{ d | attr('items') is defined }} {{ d | attr('k') is defined }}", "{\"d\": {\"k\": 1}}"),
        ("filter-tojson", "{{ v | tojson }}|{{ v | tojson(indent=2) }}|{{ v | tojson(ensure_ascii=true) }}|{{ v | tojson(separators=(',', ':'), sort_keys=true) }}|{{ 'é\\n\"' | tojson }}|{{ [] | tojson(indent=2) }}|{{ {} | tojson }}|{{ 1.0 | tojson }}|{{ v | tojson(indent='\\t') }}", "{\"v\": {\"name\": \"get_weather\", \"n\": 1, \"f\": 2.5, \"ok\": true, \"none\": null, \"list\": [1, \"😀 ü\"], \"nested\": {\"a\": []}}}"),
        ("filter-tojson-undefined-fails", "{{ nope | tojson }}", "{}"),
        ("filter-unknown-fails", "{{ 'x' | no_such_filter }}", "{}"),

        // Tests.
        ("tests", "{{ 1 is odd }} {{ 2 is even }} {{ 9 is divisibleby 3 }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ true is number }} {{ 1 is integer }} {{ 1.5 is float }} {{ {} is mapping }} {{ [] is sequence }} {{ 'a' is iterable }} {{ 3 is iterable }} {{ true is boolean }} {{ false is false }} {{ 1 is true }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ range is callable }}", "{}"),
        ("tests-comparison", "{{ 1 is eq 1 }} {{ 1 is equalto 2 }} {{ 2 is gt 1 }} {{ 2 is ge 2 }} {{ 1 is lt 2 }} {{ 1 is le 0 }} {{ 1 is ne 2 }} {{ 'a' is in 'abc' }} {{ 2 is in [1, 2] }} {{ none is sameas none }} {{ 1 is sameas 1 }} {{ 'upper' is filter }} {{ 'odd' is test }} {{ x is not none }} {{ x is not defined }}", "{\"x\": 1}"),

        // String methods.
        ("string-methods", "{{ s.startswith('He') }} {{ s.endswith(('x', 'd')) }} {{ s.upper() }} {{ s.lower() }} {{ s.title() }} {{ '  p  '.strip() }}|{{ 'xxpxx'.strip('x') }}|{{ '\\n\\nq'.lstrip('\\n') }}|{{ 'q  '.rstrip() }}|{{ s.split() }} {{ s.split('o') }} {{ 'a,b,,c'.split(',', 1) }} {{ 'a b c'.rsplit(' ', 1) }} {{ s.replace('l', 'L') }} {{ s.find('o') }} {{ s.rfind('o') }} {{ s.count('l') }} {{ '-'.join(['a', 'b']) }} {{ s.capitalize() }} {{ 'x'.center(5, '*') }} {{ '12'.isdigit() }} {{ 'ab'.isalpha() }} {{ 'a\\nb\\r\\nc'.splitlines() }} {{ 'prefix-x'.removeprefix('prefix-') }} {{ 'o\\'neil mc-x'.title() }}", "{\"s\": \"Hello World\"}"),
        ("string-format", "{{ '{} and {}'.format('a', 1) }} {{ '{0}{1}{0}'.format('x', 'y') }} {{ '{name}!'.format(name='n') }} {{ '{:>5}|{:<4}|{:^6}|{:.2f}|{:05d}|{!r}'.format('a', 'b', 'c', 3.14159, 42, 'q') }} {{ '%s is %d years' % ('x', 3) }} {{ '%.1f%%' % 12.34 }} {{ '%(a)s' % {'a': 'A'} }}", "{}"),
        ("think-split", "{% set c = content.split('</think>')[-1].lstrip('\\n') %}{% set r = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}[{{ r }}][{{ c }}]", "{\"content\": \"<think>\\nreasoning here\\n</think>\\n\\nThe answer.\"}"),

        // Globals.
        ("globals", "{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }} {{ dict(a=1, b='x') }} {% set j = joiner('+') %}{% for x in 'abc' %}{{ j() }}{{ x }}{% endfor %} {{ strftime_now('%Y-%m-%d %H:%M %A %B %-d %j') }}", "{}"),
        ("raise-exception-fails", "{% if x %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}ok", "{\"x\": true}"),
        ("range-too-big-fails", "{{ range(200000) | length }}", "{}"),
        ("immutable-list-fails", "{% set xs = [1] %}{{ xs.append(2) }}", "{}"),
        ("unsafe-attribute", "[{{ ''.__class__ }}]", "{}"),

        // Syntax errors fail in both.
        ("syntax-unclosed-if", "{% if x %}no end", "{}"),
        ("syntax-bad-expression", "{{ 1 + }}", "{}"),
        ("syntax-unknown-tag", "{% frobnicate %}", "{}"),
        ("syntax-unclosed-string", "{{ 'abc }}", "{}"),

        // Idioms of released templates.
        ("content-parts", "{% for m in messages %}{% if m.content is string %}{{ m.content }}{% else %}{% for part in m.content %}{% if part.type == 'text' %}{{ part.text }}{% elif part.type == 'image' %}<image>{% endif %}{% endfor %}{% endif %}|{% endfor %}", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\"}, {\"type\": \"text\", \"text\": \"What is this?\"}]}, {\"role\": \"assistant\", \"content\": \"A cat.\"}]}"),
        ("last-user-index", "{% set ns = namespace(last=-1) %}{% for m in messages %}{% if m.role == 'user' %}{% set ns.last = loop.index0 %}{% endif %}{% endfor %}{{ ns.last }} {{ (messages | selectattr('role', 'eq', 'user') | list | last).content }} {{ messages[1:] | map(attribute='role') | join(',') }} {{ messages | length > 2 and messages[-1].role == 'user' }}", "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}, {\"role\": \"user\", \"content\": \"c\"}]}"),
        ("tool-schema-walk", "{% for tool in tools %}{% set f = tool.function if tool.function is defined else tool %}{{ f.name }}({% for name, spec in f.parameters.properties.items() %}{{ name }}: {{ spec.type }}{% if spec.enum is defined %} in {{ spec.enum | join('|') }}{% endif %}{% if name in f.parameters.required %} (required){% endif %}{{ ', ' if not loop.last }}{% endfor %}) {{ f.parameters | tojson }}\n{% endfor %}", "{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}, \"unit\": {\"type\": \"string\", \"enum\": [\"c\", \"f\"]}}, \"required\": [\"city\"]}}}, {\"name\": \"now\", \"parameters\": {\"type\": \"object\", \"properties\": {}, \"required\": []}}]}"),
        ("tool-call-arguments", "{% for call in calls %}{% set fn = call.function %}{{ fn.name }}{% if fn.arguments is string %}{{ fn.arguments }}{% else %}{{ fn.arguments | tojson }}{% endif %}{{ fn.arguments is mapping }}{{ fn.arguments | length }}\n{% endfor %}", "{\"calls\": [{\"function\": {\"name\": \"a\", \"arguments\": {\"x\": 1, \"y\": [true, null, 2.5e-7, 1e21, 3.0]}}}, {\"function\": {\"name\": \"b\", \"arguments\": \"{\\\"x\\\": 1}\"}}]}"),
        ("defaults-and-truthiness", "{% set x = x | default('d') %}{{ x }} {{ '0' ~ (1 if '0' else 2) }} {{ [] or 'empty' }} {{ {} | default('dd', true) }} {{ none | default(none) is none }} {{ undefined_name is not defined and true }}", "{}"),
        ("inline-if-undefined", "[{{ 'yes' if flag }}][{{ 'a' ~ ('b' if flag) ~ 'c' }}]", "{}"),
        ("escapes-in-literals", "{{ '\\n' }}|{{ \"a\\tb\" }}|{{ 'it\\'s' }}|{{ \"\\u2028\" | length }}", "{}"),
        ("loop-previtem-defined", "{% for i in range(3) %}{{ loop.previtem is defined }}{{ loop.nextitem is defined }} {% endfor %}", "{}"),
        ("list-concat-and-membership", "{{ [1] + [2, 3] }} {{ 'a' in ['a'] }} {{ none in [none] }} {{ {'a': 1}.a }} {{ ('a', 'b') + ('c',) }} {{ [1, 2, 3][1:] | length }} {{ 10 // 3 * 3 }}", "{}"),
        ("whitespace-heavy", "{%- for m in messages -%}\n    {%- if m.role == 'user' -%}\n        [U] {{ m.content }}\n    {%- else -%}\n        [A] {{ m.content }}\n    {% endif %}\n{%- endfor %}\n{% if add_generation_prompt %}\n    [A]\n{% endif %}\n", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"yo\"}], \"add_generation_prompt\": true}"),
        ("macro-with-caller-check", "{% macro render(m) %}{{ m.role | upper }}: {{ m.content | trim }}{% if caller is defined %}{{ caller() }}{% endif %}{% endmacro %}{% for m in messages %}{{ render(m) }}\n{% endfor %}", "{\"messages\": [{\"role\": \"user\", \"content\": \"  hi  \"}]}"),
        ("map-filters", "{{ ['  a ', ' b'] | map('trim') | join }} {{ [1, 2] | map('string') | list }} {{ [{'x': 1}] | map('tojson') | list }} {{ ['a', 'b'] | map('replace', 'a', 'z') | list }}", "{}"),
        ("sort-and-dictsort-mixed", "{{ [3, 1.5, true, 2] | sort }} {{ {'b': 1, 'a': 2} | dictsort | map('first') | list }} {{ ['b', 'a'] | sort | first }}", "{}"),
        ("string-edge", "{{ 'a,b,'.split(',') }} {{ ' a  b '.split() }} {{ ''.split() }} {{ ''.split(',') }} {{ 'abc'.replace('', '-') }} {{ 'AbC'.swapcase() }} {{ 'x'.zfill(3) }} {{ '-5'.zfill(4) }} {{ 'a b'.partition(' ') }} {{ 'abc'.startswith('bc', 1) }}", "{}"),

        // Generation blocks.
        ("generation", "{% for m in messages %}{{ m.role }}: {% if m.role == 'assistant' %}{% generation %}{{ m.content }}<end>{% endgeneration %}{% else %}{{ m.content }}{% endif %}\n{% endfor %}", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}, {\"role\": \"user\", \"content\": \"bye\"}, {\"role\": \"assistant\", \"content\": \"ciao\"}]}"),
    ];

    public static TheoryData<string> Names => [.. Cases.Select(c => c.Name)];

    private static readonly Lazy<IReadOnlyDictionary<string, ReferenceResult>> Expected = new(() =>
    {
        var results = JinjaReference.Render([.. Cases.Select(c => new ReferenceCase(c.Template, c.Context))]);
        return Cases.Select((c, i) => (c.Name, results[i])).ToDictionary(pair => pair.Name, pair => pair.Item2, StringComparer.Ordinal);
    });

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Rendering_IsWhatPythonsJinja2Renders(string name)
    {
        Skip.If(JinjaReference.PythonWithJinja is null, JinjaReference.Missing);
        var (_, template, context) = Cases.Single(c => c.Name == name);
        var expected = Expected.Value[name];
        Assert.True(
            (expected.Error is not null) == (name.EndsWith("-fails", StringComparison.Ordinal) || name.StartsWith("syntax-", StringComparison.Ordinal)),
            $"the case's name says whether Jinja2 fails on it; Jinja2 said: {expected.Error ?? expected.Text}");

        var (text, generation, error) = Render(template, context);

        if (expected.Error is not null)
        {
            Assert.True(error is not null, $"Jinja2 failed ({expected.Error}) but we rendered {text}");
            return;
        }

        Assert.True(error is null, $"we failed ({error}) where Jinja2 rendered {expected.Text}");
        Assert.Equal(expected.Text, text);
        Assert.Equal(expected.Generation, generation);
    }

    internal static (string? Text, IReadOnlyList<(int, int)> Generation, string? Error) Render(string template, string context)
    {
        try
        {
            var variables = JsonNode.Parse(context)!.AsObject().Select(p => KeyValuePair.Create(p.Key, ValueConversion.FromJson(p.Value))).ToList();
            var output = JinjaTemplate.Parse(template).Render(variables, RenderLimits.Default, () => ReferenceCase.DefaultNow);
            return (output.Text, [.. output.Generation.Select(r => (r.Start.Value, r.End.Value))], null);
        }
        catch (Exception ex) when (ex is TemplateSyntaxException or TemplateRenderException)
        {
            return (null, [], ex.Message);
        }
    }
}
