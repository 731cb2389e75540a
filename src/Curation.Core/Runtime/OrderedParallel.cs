using System.Threading.Channels;

namespace Curation.Core.Runtime;

/// <summary>
/// Maps a channel through a function on several workers and hands the results to one consumer in input order. At most
/// <c>parallelism</c> items are in the function at once and at most <c>2 × parallelism</c> results wait for
/// their turn, so memory stays bounded and a slow consumer slows the producer (backpressure).
/// </summary>
public static class OrderedParallel
{
    public static async Task MapAsync<TIn, TOut>(
        ChannelReader<TIn> input,
        Func<TIn, TOut> map,
        int parallelism,
        Func<TOut, CancellationToken, ValueTask> consumeInOrder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(consumeInOrder);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);

        if (parallelism == 1)
        {
            while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (input.TryRead(out var item))
                {
                    await consumeInOrder(map(item), cancellationToken).ConfigureAwait(false);
                }
            }

            return;
        }

        var pending = Channel.CreateBounded<Task<TOut>>(new BoundedChannelOptions(parallelism * 2)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var slots = new SemaphoreSlim(parallelism, parallelism);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var dispatcher = DispatchAsync(input, pending.Writer, map, slots, stop.Token);
        try
        {
            while (await pending.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (pending.Reader.TryRead(out var task))
                {
                    var result = await task.ConfigureAwait(false);
                    await consumeInOrder(result, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ObserveQuietly(dispatcher).ConfigureAwait(false);
            throw;
        }

        await dispatcher.ConfigureAwait(false);
    }

    private static async Task DispatchAsync<TIn, TOut>(
        ChannelReader<TIn> input,
        ChannelWriter<Task<TOut>> pending,
        Func<TIn, TOut> map,
        SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (input.TryRead(out var item))
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    var work = Task.Run(
                        () =>
                        {
                            try
                            {
                                return map(item);
                            }
                            finally
                            {
                                slots.Release();
                            }
                        },
                        CancellationToken.None);
                    await pending.WriteAsync(work, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            pending.TryComplete(failure);
        }
    }

    private static async Task ObserveQuietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The consumer's own exception is the one reported; this one is a consequence of it.
        }
    }
}
