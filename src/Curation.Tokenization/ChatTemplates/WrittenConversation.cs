namespace Curation.Tokenization.ChatTemplates;

/// <summary>One thread's buffers for written conversations, reused from one to the next.</summary>
internal sealed class WrittenConversation
{
    private string[] _contents = new string[16];
    private Range[] _pieces = new Range[18];
    private int[] _counts = new int[18];

    public TurnText Text { get; } = new();

    public Span<string> Contents(int count) => Grown(ref _contents, count);

    public Span<Range> Pieces(int count) => Grown(ref _pieces, count);

    public Span<int> Counts(int count) => Grown(ref _counts, count);

    private static Span<T> Grown<T>(ref T[] array, int count)
    {
        if (array.Length < count)
        {
            array = new T[Math.Max(count, 2 * array.Length)];
        }

        return array.AsSpan(0, count);
    }
}
