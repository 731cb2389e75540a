namespace Curation.Evaluation.Tests.Metrics;

/// <summary>One metric on one answer, with what the item gives it.</summary>
internal sealed record MetricCase(string Metric, string Answer, string? Expected, string? Pattern = null, string? Schema = null, string[]? Choices = null);

/// <summary>
/// Fixed answers as models write them: multi-sentence replies, punctuation ASCII and not, other scripts (Greek with
/// final sigma, Turkish dotted I, German, CJK, emoji, mathematical letters outside the BMP), odd whitespace.
/// </summary>
internal static class MetricCases
{
    public static readonly string[] TextMetrics = ["exact_match", "normalized_match", "contains", "token_f1", "rouge_l"];

    public static readonly (string Answer, string Expected)[] TextPairs =
    [
        ("Paris", "Paris"),
        ("  Paris\n", "Paris"),
        ("paris.", "Paris"),
        ("The capital of France is Paris. It has been the capital since 987 AD.", "Paris"),
        ("The Eiffel Tower", "Eiffel Tower"),
        ("An apple a day keeps the doctor away.", "apple day keeps doctor away"),
        ("It was the-end of an era; the end, really.", "the end"),
        ("Denver Broncos defeated the Carolina Panthers 24–10 to earn their third Super Bowl title.", "Denver Broncos"),
        ("“Quoted” answer — with an em dash", "quoted answer with an em dash"),
        ("ΟΔΟΣ ΚΑΙ ΠΟΛΙΣ.", "οδος και πολις"),
        ("Η ΟΔΟΣ'Σ ΜΑΣ", "η οδος'σ μας"),
        ("İstanbul is in Türkiye.", "istanbul"),
        ("Die Straße heißt Hauptstraße.", "die strasse heisst hauptstrasse"),
        ("Temperature: 300 \u212A (Kelvin sign), 4 \u212Ag", "300 k kelvin sign 4 kg"),
        ("東京は日本の首都です。 Tokyo is the capital.", "Tokyo"),
        ("Great job 😀 the answer is 42!", "42"),
        ("𝐀the 𝐁 an answer", "answer"),
        ("a\u00a0b\u2003c\u001cd\te", "a b c d e"),
        ("the the the", "the"),
        ("A", "a"),
        ("", "something"),
        ("Nothing in common here.", "Completely different words"),
        ("cat cat dog", "cat dog dog"),
        ("First sentence. Second sentence, with a comma! Third? Yes: fourth.", "first second third fourth sentence"),
        ("naïve café résumé — coöperate", "naive cafe resume cooperate"),
        ("O'Brien's co-operation (approx. 50%) was ~key~.", "obriens cooperation approx 50 was key"),
        ("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log."),
        ("police killed the gunman", "the gunman kill police"),
        ("Ⅻ o'clock and ½ past, x² + y²", "xii oclock"),
        ("snake_case_name is used", "snake case name"),
    ];

    public static readonly MetricCase[] Regex =
    [
        new("regex", "Let me think. 6 * 7 = 42. Answer: 42", "42", @"Answer:\s*(\d+)"),
        new("regex", "Answer: forty-two", "42", @"Answer:\s*(\d+)"),
        new("regex", "The result is The Eiffel Tower.", "eiffel tower", @"result is (.+)$"),
        new("regex", "final: B; final: C", "B", @"final: (\w)"),
        new("regex", "Year 1999 and year 2001", "1999", @"\d{4}"),
        new("regex", "optional group: none", "optional group: none", @"(x)?optional group: \w+"),
        new("regex", "no pattern here", "x"),
    ];

    public static readonly MetricCase[] Json =
    [
        new("json_valid", """{"name": "Ada", "age": 36}""", null),
        new("json_valid", "Here it is:\n```json\n{\"name\": \"Ada\"}\n```\nAnything else?", null),
        new("json_valid", "```JSON\n[1, 2, 3]\n```", null),
        new("json_valid", "```json\n{\"a\": 1,}\n```", null),
        new("json_valid", "{'single': 'quotes'}", null),
        new("json_valid", "NaN", null),
        new("json_valid", "  42  ", null),
        new("json_valid", "\"just a string\"", null),
        new("json_valid", "Sure! {\"a\": 1}", null),
        new("json_valid", "```\n{\"untagged\": true}\n```", null),
        new("json_valid", "```json\nnot json\n```\n```json\n{\"second\": 1}\n```", null),
        new("json_valid", "{\"unicode\": \"Straße \\u00e9 😀\"}", null),
        new("json_valid", "", null),
        new("json_schema", """{"name": "Ada", "age": 36}""", null, Schema: PersonSchema),
        new("json_schema", """{"name": "Ada", "age": -1}""", null, Schema: PersonSchema),
        new("json_schema", """{"name": "Ada"}""", null, Schema: PersonSchema),
        new("json_schema", """{"name": "Ada", "age": 36, "extra": 1}""", null, Schema: PersonSchema),
        new("json_schema", "Result:\n```json\n{\"name\": \"Grace\", \"age\": 85, \"tags\": [\"navy\", \"cobol\"]}\n```", null, Schema: PersonSchema),
        new("json_schema", """{"name": "Grace", "age": 85, "tags": ["navy", "navy"]}""", null, Schema: PersonSchema),
        new("json_schema", """{"name": "", "age": 1}""", null, Schema: PersonSchema),
        new("json_schema", """{"name": "Ada", "age": 36.5}""", null, Schema: PersonSchema),
        new("json_schema", "not json at all", null, Schema: PersonSchema),
        new("json_schema", """{"kind": "circle", "radius": 2}""", null, Schema: ShapeSchema),
        new("json_schema", """{"kind": "square", "radius": 2}""", null, Schema: ShapeSchema),
        new("json_schema", """{"kind": "square", "side": 3}""", null, Schema: ShapeSchema),
        new("json_schema", """{"kind": "circle"}""", null, Schema: ShapeSchema),
        new("json_schema", """{"anything": 1}""", null),
    ];

    public static readonly MetricCase[] MultipleChoice =
    [
        Choice("B", "B"),
        Choice("(B)", "B"),
        Choice("b", "B"),
        Choice("**C**", "B"),
        Choice("B.", "B"),
        Choice("Answer: B", "B"),
        Choice("The answer is B.", "B"),
        Choice("The correct answer is (D) because the others are wrong.", "D"),
        Choice("A is tempting, but the answer is C.", "C"),
        Choice("Let me check A and B. Answer: A. On reflection, the answer is: D", "D"),
        Choice("The answer is a dog.", "A"),
        Choice("B) Paris is the capital.", "B"),
        Choice("(C) 42", "C"),
        Choice("D. None of the above", "D"),
        Choice("A - yes", "A"),
        Choice("A dog is the answer", "A"),
        Choice("B\n\nParis is the capital of France, so B.", "B"),
        Choice("**D**\nThe rest are wrong.", "D"),
        Choice("A\tis my pick", "A"),
        Choice("The answer is :  ( B ) since", "B"),
        Choice("answer" + new string(' ', 5_000) + "x", "A"),
        Choice("I cannot decide.", "A"),
        Choice("Final answer: **(C)**", "C"),
        Choice("ANSWER IS E", "E"),
        Choice("Answer: AB", "A"),
        new("multiple_choice", "B", "B"),
        new("multiple_choice", "Answer: 10", "10", Choices: ["1", "10", "100"]),
    ];

    private const string PersonSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "properties": {
            "name": {"type": "string", "minLength": 1},
            "age": {"type": "integer", "minimum": 0},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
          },
          "required": ["name", "age"],
          "additionalProperties": false
        }
        """;

    private const string ShapeSchema = """
        {
          "$defs": {
            "circle": {"properties": {"kind": {"const": "circle"}, "radius": {"type": "number", "exclusiveMinimum": 0}}, "required": ["kind", "radius"]},
            "square": {"properties": {"kind": {"const": "square"}, "side": {"type": "number"}}, "required": ["kind", "side"]}
          },
          "oneOf": [{"$ref": "#/$defs/circle"}, {"$ref": "#/$defs/square"}]
        }
        """;

    public static IEnumerable<MetricCase> All() =>
        TextPairs.SelectMany(p => TextMetrics.Select(m => new MetricCase(m, p.Answer, p.Expected)))
            .Concat(TextPairs.Select(p => new MetricCase("exact_match", p.Answer, null)))
            .Concat(Regex).Concat(Json).Concat(MultipleChoice);

    private static MetricCase Choice(string answer, string expected) => new("multiple_choice", answer, expected, Choices: ["A", "B", "C", "D", "E"]);
}
