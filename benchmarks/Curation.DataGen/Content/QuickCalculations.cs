using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Short unit conversions and everyday calculations with the working shown.</summary>
internal sealed class QuickCalculations : IConversationSource
{
    private static readonly Func<DeterministicRandom, (string, string)>[] Makers =
        [Temperature, Distance, Weight, DownloadTime, PercentOf, Duration, Speed, StorageUnits, Fuel, Tip];

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var (question, answer) = rng.Pick(Makers)(rng);
        return new Conversation { Turns = [Turn.User(question), Turn.Assistant(answer)], Category = "calculation" };
    }

    private static (string, string) Temperature(DeterministicRandom rng)
    {
        if (rng.Chance(0.5))
        {
            var c = rng.Between(-30, 45);
            var f = c * 9 / 5m + 32;
            return (rng.Next(2) == 0 ? $"Convert {c} °C to Fahrenheit." : $"What is {c} degrees Celsius in Fahrenheit?",
                $"{c} °C is {Fmt.D(f, 1)} °F. To convert, multiply by 9/5 and add 32: {c} × 9/5 + 32 = {Fmt.D(f, 1)}.");
        }

        var fahrenheit = rng.Between(-10, 110);
        var celsius = (fahrenheit - 32) * 5 / 9m;
        return (rng.Next(2) == 0 ? $"Convert {fahrenheit} °F to Celsius." : $"My weather app says {fahrenheit}°F. What's that in Celsius?",
            $"{fahrenheit} °F is about {Fmt.D(celsius, 1)} °C. Subtract 32, then multiply by 5/9: ({fahrenheit} − 32) × 5/9 = {Fmt.D(celsius, 1)}.");
    }

    private static (string, string) Distance(DeterministicRandom rng)
    {
        var km = rng.PickOne(5, 10, 21.0975m, 42.195m, 3, 15, 100, 250);
        var miles = km / 1.609344m;
        return rng.Next(2) == 0
            ? ($"How many miles is {Fmt.D(km, 4)} km?", $"{Fmt.D(km, 4)} km is about {Fmt.D(miles, 2)} miles (1 mile = 1.609344 km, so divide by 1.609344).")
            : ($"I'm training for a {Fmt.D(km, 4)} km race. How far is that in miles?", $"{Fmt.D(km, 4)} km ≈ {Fmt.D(miles, 2)} miles. A quick mental shortcut is to multiply kilometres by 0.62, which gives {Fmt.D(km * 0.62m, 1)}.");
    }

    private static (string, string) Weight(DeterministicRandom rng)
    {
        var kg = rng.Between(2, 120);
        var lb = kg * 2.20462m;
        return rng.Next(2) == 0
            ? ($"Convert {kg} kg to pounds.", $"{kg} kg is {Fmt.D(lb, 1)} lb. One kilogram is 2.20462 pounds: {kg} × 2.20462 = {Fmt.D(lb, 2)}.")
            : ($"My suitcase weighs {Fmt.D(lb, 0)} lb. Is that under a {kg + 1} kg limit?",
               $"{Fmt.D(lb, 0)} lb ÷ 2.20462 ≈ {Fmt.D(Math.Round(lb, 0) / 2.20462m, 1)} kg, so yes, it's under the {kg + 1} kg limit, with about {Fmt.D(kg + 1 - Math.Round(lb, 0) / 2.20462m, 1)} kg to spare.");
    }

    private static (string, string) DownloadTime(DeterministicRandom rng)
    {
        var gb = rng.PickOne(1, 2, 4, 8, 15, 30, 50, 75, 120);
        var mbps = rng.PickOne(20, 50, 100, 250, 300, 500, 940);
        var seconds = gb * 8000m / mbps;
        var minutes = seconds / 60;
        return ($"How long does it take to download a {gb} GB file on a {mbps} Mbps connection?",
            $"""
            About {(minutes >= 1 ? $"{Fmt.D(minutes, 1)} minutes" : $"{Fmt.D(seconds, 0)} seconds")} in theory.

            - {gb} GB = {gb} × 8,000 = {Fmt.N(gb * 8000)} megabits (1 byte = 8 bits, and network speeds use 1 GB = 1,000 MB)
            - {Fmt.N(gb * 8000)} Mb ÷ {mbps} Mb/s = {Fmt.D(seconds, 0)} seconds

            In practice expect 10–20% longer because of protocol overhead and because the server or Wi-Fi may not keep up with the line speed.
            """);
    }

    private static (string, string) PercentOf(DeterministicRandom rng)
    {
        var pct = rng.PickOne(5, 12, 15, 17.5m, 20, 25, 33, 40, 65, 85);
        var total = rng.Between(4, 400) * 5;
        var part = total * pct / 100m;
        return rng.Next(2) == 0
            ? ($"What is {Fmt.D(pct)}% of {Fmt.N(total)}?", $"{Fmt.D(pct)}% of {Fmt.N(total)} is {Fmt.D(part)}. Write the percentage as a decimal and multiply: {Fmt.D(pct / 100m, 3)} × {Fmt.N(total)} = {Fmt.D(part)}.")
            : ($"{Fmt.D(part)} out of {Fmt.N(total)} respondents said yes. What percentage is that?", $"{Fmt.D(part)} ÷ {Fmt.N(total)} × 100 = {Fmt.D(pct)}%.");
    }

    private static (string, string) Duration(DeterministicRandom rng)
    {
        var seconds = rng.Between(400, 200000);
        var h = seconds / 3600;
        var m = seconds % 3600 / 60;
        var s = seconds % 60;
        return ($"How many hours, minutes and seconds is {Fmt.N(seconds)} seconds?",
            $"{Fmt.N(seconds)} seconds is {h} h {m} min {s} s.\n\n- {Fmt.N(seconds)} ÷ 3,600 = {h} full hours, remainder {seconds % 3600}\n- {seconds % 3600} ÷ 60 = {m} minutes, remainder {s} seconds");
    }

    private static (string, string) Speed(DeterministicRandom rng)
    {
        var kmh = rng.PickOne(18, 30, 36, 50, 72, 90, 100, 120, 130);
        var ms = kmh / 3.6m;
        return ($"What is {kmh} km/h in metres per second?",
            $"{kmh} km/h = {Fmt.D(ms, 2)} m/s. Divide by 3.6, because 1 km/h is 1,000 m per 3,600 s. At that speed you cover {Fmt.D(ms * 10, 0)} metres every 10 seconds.");
    }

    private static (string, string) StorageUnits(DeterministicRandom rng)
    {
        var tb = rng.PickOne(1, 2, 4, 8, 12, 16);
        var tib = tb * 1_000_000_000_000m / 1_099_511_627_776m;
        return ($"Why does my new {tb} TB drive show up as only {Fmt.D(tib, 2)} TB in Windows?",
            $"""
            Nothing is missing: the drive maker and the operating system use different units.

            - Manufacturers use decimal units: {tb} TB = {tb} × 10¹² bytes.
            - Windows divides by powers of 2 (1 TiB = 2⁴⁰ = 1,099,511,627,776 bytes) but still labels the result "TB".

            {tb} × 10¹² ÷ 2⁴⁰ = {Fmt.D(tib, 2)} TiB, which is what Windows shows. macOS and most Linux tools report decimal units, so they'd show {tb} TB.
            """);
    }

    private static (string, string) Fuel(DeterministicRandom rng)
    {
        var km = rng.Between(8, 90) * 10;
        var per100 = rng.Between(45, 95) / 10m;
        var price = rng.Between(150, 210) / 100m;
        var litres = km * per100 / 100;
        return ($"My car uses {Fmt.D(per100, 1)} L per 100 km. How much fuel do I need for a {km} km trip, and what will it cost at €{Fmt.D(price, 2)} per litre?",
            $"You need {km} × {Fmt.D(per100, 1)} ÷ 100 = {Fmt.D(litres, 1)} litres, which costs {Fmt.D(litres, 1)} × €{Fmt.D(price, 2)} = €{Fmt.D(litres * price, 2)}. Add a little margin for traffic and air conditioning.");
    }

    private static (string, string) Tip(DeterministicRandom rng)
    {
        var bill = rng.Between(1800, 24000) / 100m;
        var pct = rng.PickOne(10, 12, 15, 18, 20);
        var people = rng.Between(2, 8);
        var total = bill * (100 + pct) / 100m;
        return ($"Our restaurant bill is {Fmt.Money(bill)}. We want to leave a {pct}% tip and split it between {people} people. How much each?",
            $"Tip: {Fmt.Money(bill)} × {Fmt.D(pct / 100m)} = {Fmt.Money(bill * pct / 100m)}. Total: {Fmt.Money(total)}. Each of the {people} pays {Fmt.Money(total)} ÷ {people} = {Fmt.Money(total / people)}.");
    }
}
