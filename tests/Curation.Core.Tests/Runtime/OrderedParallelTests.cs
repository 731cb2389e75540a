using System.Threading.Channels;
using Curation.Core.Runtime;

namespace Curation.Core.Tests.Runtime;

public sealed class OrderedParallelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 10)]
    [InlineData(8, 10000)]
    public async Task MapAsync_ManyWorkers_DeliversEveryItemOnceInOrder(int parallelism, int count)
    {
        var input = Channel.CreateBounded<int>(4);
        var received = new List<int>();
        var producer = Task.Run(async () =>
        {
            for (var i = 1; i <= count; i++)
            {
                await input.Writer.WriteAsync(i);
            }

            input.Writer.Complete();
        });

        await OrderedParallel.MapAsync(
            input.Reader,
            i =>
            {
                Thread.SpinWait((i * 7919) % 500);
                return i * 2;
            },
            parallelism,
            (value, _) =>
            {
                received.Add(value);
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        await producer;

        Assert.Equal(Enumerable.Range(1, count).Select(i => i * 2), received);
        Assert.Equal((long)count * (count + 1), received.Sum(v => (long)v));
    }

    [Fact]
    public async Task MapAsync_FunctionThrows_PropagatesTheException()
    {
        var input = Channel.CreateUnbounded<int>();
        for (var i = 0; i < 100; i++)
        {
            input.Writer.TryWrite(i);
        }

        input.Writer.Complete();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OrderedParallel.MapAsync<int, int>(
            input.Reader,
            i => i == 42 ? throw new InvalidOperationException("item 42") : i,
            4,
            (_, _) => ValueTask.CompletedTask,
            CancellationToken.None));
        Assert.Equal("item 42", error.Message);
    }

    [Fact]
    public async Task MapAsync_InputCompletedWithError_PropagatesIt()
    {
        var input = Channel.CreateUnbounded<int>();
        input.Writer.TryWrite(1);
        input.Writer.Complete(new IOException("disk gone"));

        await Assert.ThrowsAsync<IOException>(() => OrderedParallel.MapAsync<int, int>(input.Reader, i => i, 3, (_, _) => ValueTask.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public async Task MapAsync_Cancelled_StopsWithOperationCanceled()
    {
        var input = Channel.CreateUnbounded<int>();
        using var cancellation = new CancellationTokenSource();
        input.Writer.TryWrite(1);

        var run = OrderedParallel.MapAsync<int, int>(input.Reader, i => i, 2, (_, _) => ValueTask.CompletedTask, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
