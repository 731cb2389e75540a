using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Grade-school word problems with computed, step-by-step solutions.</summary>
internal static class MathProblems
{
    private static readonly (string Singular, string Plural, decimal Low, decimal High)[] ShopItems =
    [
        ("notebook", "notebooks", 1.5m, 6m), ("pen", "pens", 0.5m, 3m), ("apple", "apples", 0.4m, 1.2m),
        ("sandwich", "sandwiches", 3m, 8m), ("bag of rice", "bags of rice", 2m, 9m), ("comic book", "comic books", 3m, 12m),
        ("plant pot", "plant pots", 2.5m, 15m), ("coffee", "coffees", 2m, 5m), ("ticket", "tickets", 6m, 25m),
        ("ball of yarn", "balls of yarn", 3m, 9m), ("pack of batteries", "packs of batteries", 4m, 14m), ("muffin", "muffins", 1.5m, 4m),
    ];

    private static readonly string[] ScheduleTasks =
        ["answering emails", "a design review", "writing the report", "a client call", "code review", "planning the sprint", "lunch"];

    public static readonly Func<DeterministicRandom, MathProblem>[] All =
    [
        Shopping, Journey, DiscountAndTax, WorkRate, Ages, Savings, Recipe, Fence, TestAverage, Reading, Interest,
        UnitPrice, Schedule, Marbles, Trains, PercentChange,
    ];

    private static string Name(DeterministicRandom rng) => rng.Pick(Vocabulary.FirstNames);

    private static decimal Price(DeterministicRandom rng, decimal low, decimal high)
    {
        var cents = rng.Between((int)(low * 4), (int)(high * 4)) * 25;
        return cents / 100m;
    }

    private static string Close(DeterministicRandom rng, string answer) => rng.Next(3) switch
    {
        0 => $"**Answer:** {answer}",
        1 => $"So the answer is {answer}.",
        _ => $"The answer is {answer}.",
    };

    private static MathProblem Shopping(DeterministicRandom rng)
    {
        var name = Name(rng);
        var items = rng.PickDistinct(ShopItems, 2);
        var (a, b) = (rng.Between(2, 9), rng.Between(2, 9));
        var (p, q) = (Price(rng, items[0].Low, items[0].High), Price(rng, items[1].Low, items[1].High));
        var total = a * p + b * q;
        var bill = Math.Ceiling(total / 10m) * 10m + rng.PickOne(0m, 10m, 20m);
        var question = $"{name} buys {a} {items[0].Plural} at {Fmt.Money(p)} each and {b} {items[1].Plural} at {Fmt.Money(q)} each, and pays with {Fmt.Money(bill)}. How much change does {name} get?";
        var solution = $"""
            Cost of the {items[0].Plural}: {a} x {Fmt.Money(p)} = {Fmt.Money(a * p)}
            Cost of the {items[1].Plural}: {b} x {Fmt.Money(q)} = {Fmt.Money(b * q)}
            Total: {Fmt.Money(a * p)} + {Fmt.Money(b * q)} = {Fmt.Money(total)}
            Change: {Fmt.Money(bill)} - {Fmt.Money(total)} = {Fmt.Money(bill - total)}

            {Close(rng, Fmt.Money(bill - total))}
            """;
        var extra = rng.Between(1, 4);
        var newTotal = total + extra * p;
        var followAnswer = newTotal <= bill
            ? $"{extra} more {(extra == 1 ? items[0].Singular : items[0].Plural)} cost {extra} x {Fmt.Money(p)} = {Fmt.Money(extra * p)}, so the total becomes {Fmt.Money(total)} + {Fmt.Money(extra * p)} = {Fmt.Money(newTotal)}. The change is then {Fmt.Money(bill)} - {Fmt.Money(newTotal)} = {Fmt.Money(bill - newTotal)}."
            : $"{extra} more {(extra == 1 ? items[0].Singular : items[0].Plural)} cost {Fmt.Money(extra * p)}, bringing the total to {Fmt.Money(newTotal)}. That's more than {Fmt.Money(bill)}, so {name} would be {Fmt.Money(newTotal - bill)} short and get no change.";
        return new MathProblem(question, solution, ($"What if {name} also buys {extra} more {(extra == 1 ? items[0].Singular : items[0].Plural)}?", followAnswer));
    }

    private static MathProblem Journey(DeterministicRandom rng)
    {
        var name = Name(rng);
        var v1 = rng.PickOne(40, 50, 60, 80, 90, 100, 120);
        var v2 = rng.PickOne(30, 40, 50, 60, 70, 80);
        var t1 = rng.Between(1, 6) / 2m;
        var t2 = rng.Between(1, 4) / 2m;
        var d1 = v1 * t1;
        var d2 = v2 * t2;
        var avg = (d1 + d2) / (t1 + t2);
        var question = $"{name} drives {Fmt.D(d1)} km on the motorway at {v1} km/h, then {Fmt.D(d2)} km on country roads at {v2} km/h. How long does the whole trip take, and what is the average speed?";
        var solution = $"""
            Motorway time: {Fmt.D(d1)} / {v1} = {Fmt.D(t1)} h
            Country roads time: {Fmt.D(d2)} / {v2} = {Fmt.D(t2)} h
            Total time: {Fmt.D(t1)} + {Fmt.D(t2)} = {Fmt.D(t1 + t2)} h
            Total distance: {Fmt.D(d1)} + {Fmt.D(d2)} = {Fmt.D(d1 + d2)} km
            Average speed: {Fmt.D(d1 + d2)} / {Fmt.D(t1 + t2)} = {Fmt.D(avg, 1)} km/h

            Note that the average speed is not simply ({v1} + {v2}) / 2 = {Fmt.D((v1 + v2) / 2m, 1)} km/h, because more time is spent at one speed than the other.

            {Close(rng, $"{Fmt.D(t1 + t2)} hours at an average of {Fmt.D(avg, 1)} km/h")}
            """;
        var v = rng.PickOne(60, 70, 75, 80, 90);
        var follow = ($"How long would the same trip take at a constant {v} km/h?",
            $"The trip is {Fmt.D(d1 + d2)} km, so at {v} km/h it takes {Fmt.D(d1 + d2)} / {v} = {Fmt.D((d1 + d2) / v, 2)} hours, about {Fmt.I((long)Math.Round((d1 + d2) / v * 60))} minutes.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem DiscountAndTax(DeterministicRandom rng)
    {
        var item = rng.PickOne("jacket", "bicycle", "desk chair", "pair of headphones", "coffee machine", "tent", "monitor", "backpack");
        var price = rng.Between(20, 400);
        var discount = rng.PickOne(10, 15, 20, 25, 30, 40);
        var tax = rng.PickOne(5, 6, 7, 8, 10, 13);
        var discounted = price * (100 - discount) / 100m;
        var final = Math.Round(discounted * (100 + tax) / 100m, 2, MidpointRounding.AwayFromZero);
        var question = $"A {item} costs {Fmt.Money(price)}. It is on sale for {discount}% off, and then a {tax}% sales tax is added. What is the final price?";
        var solution = $"""
            Discount: {discount}% of {Fmt.Money(price)} = {Fmt.Money(price * discount / 100m)}
            Sale price: {Fmt.Money(price)} - {Fmt.Money(price * discount / 100m)} = {Fmt.Money(discounted)}
            Tax: {tax}% of {Fmt.Money(discounted)} = {Fmt.Money(discounted * tax / 100m)}
            Final price: {Fmt.Money(discounted)} + {Fmt.Money(discounted * tax / 100m)} = {Fmt.Money(final)}

            {Close(rng, Fmt.Money(final))}
            """;
        var follow = ("Would the price be different if the tax were added before the discount?",
            $"No. Both steps are multiplications: {Fmt.Money(price)} x {Fmt.D((100 - discount) / 100m)} x {Fmt.D((100 + tax) / 100m)} gives the same result in either order, {Fmt.Money(final)}. The order only matters when a discount is a fixed amount, such as {Fmt.Money(10)} off, rather than a percentage.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem WorkRate(DeterministicRandom rng)
    {
        var task = rng.PickOne(("painters", "paint an office building"), ("workers", "lay a stone path"), ("volunteers", "pack the food parcels"), ("developers", "migrate the old reports"), ("gardeners", "plant the new orchard"));
        var n = rng.Between(2, 8);
        var m = rng.Between(2, 12);
        while (m == n)
        {
            m = rng.Between(2, 12);
        }

        var days = m * rng.Between(1, 4);
        var workerDays = n * days;
        var question = $"{n} {task.Item1} can {task.Item2} in {days} days. Working at the same rate, how many days would {m} {task.Item1} need?";
        var solution = $"""
            The job takes {n} x {days} = {workerDays} worker-days in total.
            With {m} {task.Item1}: {workerDays} / {m} = {Fmt.D(workerDays / (decimal)m)} days.

            {Close(rng, $"{Fmt.D(workerDays / (decimal)m)} days")}
            """;
        var target = rng.Between(2, Math.Max(3, days - 1));
        var needed = (int)Math.Ceiling(workerDays / (decimal)target);
        var follow = ($"How many {task.Item1} would be needed to finish in {target} days?",
            $"{workerDays} worker-days / {target} days = {Fmt.D(workerDays / (decimal)target)}. " +
            (workerDays % target == 0 ? $"So {needed} {task.Item1} are needed." : $"You can't have a fraction of a person, so round up: {needed} {task.Item1} are needed, and they would finish slightly early."));
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem Ages(DeterministicRandom rng)
    {
        var (older, younger) = (Name(rng), Name(rng));
        while (younger == older)
        {
            younger = Name(rng);
        }

        var k = rng.Between(3, 5);
        var b = rng.Between(3, 12);
        var y = b * (k - 2);
        var question = $"{older} is {k} times as old as {younger}. In {y} years, {older} will be twice as old as {younger}. How old is {younger} now?";
        var solution = $"""
            Let {younger}'s age be x. Then {older} is {k}x.
            In {y} years: {k}x + {y} = 2(x + {y})
            {k}x + {y} = 2x + {2 * y}
            {k - 2}x = {y}
            x = {b}

            {younger} is {b} and {older} is {k * b}. Check: in {y} years they'll be {b + y} and {k * b + y}, and {k * b + y} = 2 x {b + y}.

            {Close(rng, Fmt.I(b))}
            """;
        var follow = ($"How old will {older} be when {younger} turns {b + y + 10}?",
            $"{older} is always {k * b - b} years older than {younger}, so when {younger} is {b + y + 10}, {older} will be {b + y + 10 + k * b - b}.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem Savings(DeterministicRandom rng)
    {
        var name = Name(rng);
        var goal = rng.PickOne(("a new bike", 350, 900), ("a laptop", 600, 1500), ("concert tickets", 120, 300), ("a weekend trip", 250, 700), ("a guitar", 200, 800));
        var price = rng.Between(goal.Item2 / 10, goal.Item3 / 10) * 10;
        var have = rng.Between(1, price / 20) * 10;
        var weekly = rng.PickOne(15, 20, 25, 30, 35, 40, 50);
        var weeks = (int)Math.Ceiling((price - have) / (decimal)weekly);
        var question = $"{name} wants to buy {goal.Item1} for {Fmt.Money(price)}. {name} has already saved {Fmt.Money(have)} and puts aside {Fmt.Money(weekly)} every week. How many weeks until {name} can afford it?";
        var exact = (price - have) % weekly == 0;
        var solution = $"""
            Still needed: {Fmt.Money(price)} - {Fmt.Money(have)} = {Fmt.Money(price - have)}
            Weeks: {Fmt.Money(price - have)} / {Fmt.Money(weekly)} = {Fmt.D((price - have) / (decimal)weekly)}
            {(exact ? "That's a whole number of weeks." : $"After {weeks - 1} weeks it's not quite enough, so {name} needs {weeks} weeks.")}

            {Close(rng, $"{weeks} weeks")}
            """;
        var weekly2 = weekly + rng.PickOne(5, 10, 15);
        var weeks2 = (int)Math.Ceiling((price - have) / (decimal)weekly2);
        var follow = ($"What if {name} saves {Fmt.Money(weekly2)} a week instead?",
            $"{Fmt.Money(price - have)} / {Fmt.Money(weekly2)} = {Fmt.D((price - have) / (decimal)weekly2)}, so it takes {weeks2} weeks, {Fmt.Plural(weeks - weeks2, "week")} sooner.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem Recipe(DeterministicRandom rng)
    {
        var dish = rng.PickOne("pancakes", "banana bread", "lentil soup", "pizza dough", "oat cookies", "risotto");
        var n = rng.PickOne(2, 4, 6, 8);
        var m = rng.PickOne(3, 5, 10, 12, 14, 18);
        var flour = rng.Between(4, 16) * 25;
        var milk = rng.Between(2, 12) * 50;
        var question = $"A recipe for {dish} serves {n} people and uses {flour} g of flour and {milk} ml of milk. How much of each do you need for {m} people?";
        var factor = m / (decimal)n;
        var solution = $"""
            Scale factor: {m} / {n} = {Fmt.D(factor, 3)}
            Flour: {flour} g x {Fmt.D(factor, 3)} = {Fmt.D(flour * factor, 1)} g
            Milk: {milk} ml x {Fmt.D(factor, 3)} = {Fmt.D(milk * factor, 1)} ml

            {Close(rng, $"{Fmt.D(flour * factor, 1)} g of flour and {Fmt.D(milk * factor, 1)} ml of milk")}
            """;
        var eggs = rng.Between(1, 4);
        var follow = ($"The recipe also uses {Fmt.Plural(eggs, "egg")}. How many for {m} people?",
            $"{eggs} x {Fmt.D(factor, 3)} = {Fmt.D(eggs * factor, 2)} eggs. Round to {Fmt.I((long)Math.Round(eggs * factor, MidpointRounding.AwayFromZero))}; for baking, a slightly smaller egg or an extra spoon of milk evens out the difference.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem Fence(DeterministicRandom rng)
    {
        var w = rng.Between(4, 20);
        var l = rng.Between(w + 1, 35);
        var gate = rng.Between(1, 3);
        var cost = rng.Between(8, 40);
        var perimeter = 2 * (w + l);
        var fence = perimeter - gate;
        var question = $"A rectangular garden is {w} m wide and {l} m long. It needs a fence all the way around, except for a {gate} m gate. Fencing costs {Fmt.Money(cost)} per metre. How much will the fence cost?";
        var solution = $"""
            Perimeter: 2 x ({w} + {l}) = {perimeter} m
            Minus the gate: {perimeter} - {gate} = {fence} m of fencing
            Cost: {fence} x {Fmt.Money(cost)} = {Fmt.Money(fence * cost)}

            {Close(rng, Fmt.Money(fence * cost))}
            """;
        var turf = rng.Between(3, 12);
        var follow = ($"And if turf costs {Fmt.Money(turf)} per square metre, how much to cover the whole garden?",
            $"Area: {w} x {l} = {w * l} m². Turf: {w * l} x {Fmt.Money(turf)} = {Fmt.Money(w * l * turf)}.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem TestAverage(DeterministicRandom rng)
    {
        var name = Name(rng);
        var scores = Enumerable.Range(0, 4).Select(_ => rng.Between(62, 96)).ToArray();
        var sum = scores.Sum();
        var target = Math.Min(95, (sum + rng.Between(70, 100)) / 5);
        var needed = 5 * target - sum;
        var question = $"{name} scored {string.Join(", ", scores)} on four tests. What score does {name} need on the fifth test to have an average of exactly {target}?";
        var solution = $"""
            For an average of {target} over 5 tests, the total must be 5 x {target} = {5 * target}.
            Current total: {string.Join(" + ", scores)} = {sum}
            Needed: {5 * target} - {sum} = {needed}

            {Close(rng, Fmt.I(needed))}
            """;
        var follow = ($"Is an average of 95 still possible?",
            5 * 95 - sum <= 100
                ? $"Yes: the fifth test would need 5 x 95 - {sum} = {5 * 95 - sum}, which is achievable on a 100-point test."
                : $"No: it would need 5 x 95 - {sum} = {5 * 95 - sum} on the fifth test, more than the maximum of 100.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem Reading(DeterministicRandom rng)
    {
        var name = Name(rng);
        var k = rng.PickOne(3, 4, 5, 6);
        var pages = k * rng.Between(40, 90);
        var tuesday = rng.Between(10, 40);
        var remainingAfterTuesday = pages - pages / k - tuesday;
        var half = remainingAfterTuesday % 2 == 0;
        var question = $"{name} is reading a {pages}-page book. On Monday {name} reads 1/{k} of the book, and on Tuesday {tuesday} pages. On Wednesday {name} reads half of what is left. How many pages remain after Wednesday?";
        var wednesday = remainingAfterTuesday / 2;
        var solution = $"""
            Monday: {pages} / {k} = {pages / k} pages
            Left after Monday: {pages} - {pages / k} = {pages - pages / k}
            Left after Tuesday: {pages - pages / k} - {tuesday} = {remainingAfterTuesday}
            Wednesday: half of {remainingAfterTuesday} = {Fmt.D(remainingAfterTuesday / 2m)}{(half ? string.Empty : $", so about {wednesday} full pages")}
            Remaining: {remainingAfterTuesday} - {wednesday} = {remainingAfterTuesday - wednesday}

            {Close(rng, $"{remainingAfterTuesday - wednesday} pages")}
            """;
        var perDay = rng.Between(15, 30);
        var follow = ($"If {name} then reads {perDay} pages a day, how many more days to finish?",
            $"{remainingAfterTuesday - wednesday} / {perDay} = {Fmt.D((remainingAfterTuesday - wednesday) / (decimal)perDay)}, so {Fmt.Plural((int)Math.Ceiling((remainingAfterTuesday - wednesday) / (decimal)perDay), "more day")}.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem Interest(DeterministicRandom rng)
    {
        var principal = rng.Between(10, 200) * 100;
        var rate = rng.PickOne(2m, 2.5m, 3m, 3.5m, 4m, 4.5m, 5m, 6m);
        var years = rng.Between(2, 6);
        var simple = principal * rate / 100m * years;
        var compound = principal * (decimal)Math.Pow((double)(1 + rate / 100m), years);
        var question = $"You deposit {Fmt.Money(principal)} at {Fmt.D(rate)}% interest per year for {years} years. How much do you have at the end with compound interest (compounded yearly), and how does that compare with simple interest?";
        var solution = $"""
            Compound: {Fmt.Money(principal)} x (1 + {Fmt.D(rate / 100m, 3)})^{years} = {Fmt.Money(compound)}
            Simple interest: {Fmt.Money(principal)} x {Fmt.D(rate / 100m, 3)} x {years} = {Fmt.Money(simple)}, for a total of {Fmt.Money(principal + simple)}
            Difference: {Fmt.Money(compound)} - {Fmt.Money(principal + simple)} = {Fmt.Money(compound - principal - simple)}

            Compounding earns interest on the interest already added, so it pulls ahead the longer the money stays in.

            {Close(rng, $"{Fmt.Money(compound)} with compound interest, {Fmt.Money(compound - principal - simple)} more than with simple interest")}
            """;
        var exact = Math.Log(2) / Math.Log((double)(1 + rate / 100m));
        var follow = ("Roughly how long until the money doubles?",
            $"The rule of 72 gives 72 / {Fmt.D(rate)} ≈ {Fmt.D(72m / rate, 1)} years. The exact figure is ln 2 / ln(1 + {Fmt.D(rate / 100m, 3)}) ≈ {Fmt.D((decimal)exact, 1)} years; with interest added once a year, the balance first passes double after {Fmt.I((long)Math.Ceiling(exact))} years.");
        return new MathProblem(question, solution, follow);
    }

    private static MathProblem UnitPrice(DeterministicRandom rng)
    {
        var product = rng.PickOne(("yogurt", "cups"), ("dishwasher tablets", "tablets"), ("tea", "bags"), ("toilet paper", "rolls"), ("sparkling water", "cans"), ("AA batteries", "batteries"));
        var n1 = rng.PickOne(4, 6, 8, 10, 12);
        var n2 = n1 * rng.Between(2, 4);
        var p1 = Price(rng, n1 * 0.3m, n1 * 1.2m);
        var p2 = Math.Round(p1 * n2 / n1 * rng.Between(80, 110) / 100m, 2);
        var u1 = p1 / n1;
        var u2 = p2 / n2;
        var cheaper = u1 <= u2 ? "small pack" : "large pack";
        var question = $"A small pack of {product.Item1} has {n1} {product.Item2} for {Fmt.Money(p1)}, and a large pack has {n2} {product.Item2} for {Fmt.Money(p2)}. Which is the better deal per unit?";
        var solution = $"""
            Small pack: {Fmt.Money(p1)} / {n1} = {Fmt.Money(u1)} per unit ({Fmt.D(u1 * 100, 2)} cents)
            Large pack: {Fmt.Money(p2)} / {n2} = {Fmt.Money(u2)} per unit ({Fmt.D(u2 * 100, 2)} cents)

            {(u1 == u2 ? "Both cost the same per unit." : $"The {cheaper} is cheaper by {Fmt.D(Math.Abs(u1 - u2) * 100, 2)} cents per unit.")}

            {Close(rng, u1 == u2 ? "neither, they cost the same per unit" : $"the {cheaper}")}
            """;
        return new MathProblem(question, solution, null);
    }

    private static MathProblem Schedule(DeterministicRandom rng)
    {
        var name = Name(rng);
        var start = rng.Between(7 * 4, 14 * 4) * 15;
        var tasks = rng.PickDistinct(ScheduleTasks, 3);
        var durations = tasks.Select(_ => rng.Between(2, 12) * 10).ToArray();
        var breakMinutes = rng.PickOne(10, 15, 20);
        var total = durations.Sum() + breakMinutes;
        var question = $"{name} starts work at {Fmt.Clock12(start)} and spends {durations[0]} minutes on {tasks[0]}, {durations[1]} minutes on {tasks[1]}, takes a {breakMinutes}-minute break, then spends {durations[2]} minutes on {tasks[2]}. What time does {name} finish?";
        var solution = $"""
            Total time: {durations[0]} + {durations[1]} + {breakMinutes} + {durations[2]} = {total} minutes = {total / 60} h {total % 60} min
            Finish: {Fmt.Clock12(start)} + {total / 60} h {total % 60} min = {Fmt.Clock12(start + total)}

            {Close(rng, Fmt.Clock12(start + total))}
            """;
        return new MathProblem(question, solution, null);
    }

    private static MathProblem Marbles(DeterministicRandom rng)
    {
        var red = rng.Between(2, 9);
        var blue = rng.Between(2, 11);
        var n = red + blue;
        var num = red * (red - 1);
        var den = n * (n - 1);
        var g = (int)System.Numerics.BigInteger.GreatestCommonDivisor(num, den);
        var color = rng.PickOne(("red", "blue"), ("green", "yellow"), ("black", "white"));
        var question = $"A bag has {red} {color.Item1} and {blue} {color.Item2} marbles. You take out two marbles without putting the first back. What is the probability that both are {color.Item1}?";
        var solution = $"""
            First marble {color.Item1}: {red}/{n}
            Second marble {color.Item1}, given the first was: {red - 1}/{n - 1}
            Both: {red}/{n} x {red - 1}/{n - 1} = {num}/{den} = {num / g}/{den / g} ≈ {Fmt.D(num / (decimal)den, 3)}

            {Close(rng, $"{num / g}/{den / g}")}
            """;
        var withReplacement = ($"And if the first marble is put back before drawing the second?",
            $"Then the draws are independent: ({red}/{n})² = {red * red}/{n * n} ≈ {Fmt.D(red * red / (decimal)(n * n), 3)}, slightly higher because the {color.Item1} marble is available again.");
        return new MathProblem(question, solution, withReplacement);
    }

    private static MathProblem Trains(DeterministicRandom rng)
    {
        var cities = rng.PickDistinct(Vocabulary.Cities, 2);
        var v1 = rng.Between(6, 16) * 10;
        var v2 = rng.Between(5, 14) * 10;
        var hours = rng.Between(2, 8) / 2m;
        var distance = (v1 + v2) * hours;
        var departure = rng.Between(6 * 4, 11 * 4) * 15;
        var question = $"A train leaves {cities[0]} for {cities[1]} at {Fmt.Clock(departure)} travelling at {v1} km/h. At the same time another train leaves {cities[1]} for {cities[0]} at {v2} km/h. The cities are {Fmt.D(distance)} km apart. When do the trains meet, and how far from {cities[0]}?";
        var solution = $"""
            The trains close the gap at {v1} + {v2} = {v1 + v2} km/h.
            Time to meet: {Fmt.D(distance)} / {v1 + v2} = {Fmt.D(hours)} h
            Meeting time: {Fmt.Clock(departure)} + {Fmt.D(hours)} h = {Fmt.Clock(departure + (int)(hours * 60))}
            Distance from {cities[0]}: {v1} x {Fmt.D(hours)} = {Fmt.D(v1 * hours)} km

            {Close(rng, $"{Fmt.Clock(departure + (int)(hours * 60))}, {Fmt.D(v1 * hours)} km from {cities[0]}")}
            """;
        return new MathProblem(question, solution, null);
    }

    private static MathProblem PercentChange(DeterministicRandom rng)
    {
        var thing = rng.PickOne(("monthly rent", 600, 2000), ("a bus pass", 30, 90), ("a kilo of coffee", 12, 40), ("the electricity bill", 50, 200), ("a gym membership", 20, 70));
        var before = rng.Between(thing.Item2, thing.Item3);
        var change = rng.Between(-15, 30);
        if (change == 0)
        {
            change = 5;
        }

        var after = Math.Round(before * (100 + change) / 100m, 0);
        var pct = (after - before) / before * 100;
        var question = $"The price of {thing.Item1} went from {Fmt.Money(before)} to {Fmt.Money(after)}. What is the percentage change?";
        var solution = $"""
            Change: {Fmt.Money(after)} - {Fmt.Money(before)} = {(after >= before ? string.Empty : "-")}{Fmt.Money(Math.Abs(after - before))}
            Percentage: {Fmt.D(after - before)} / {before} x 100 = {Fmt.D(pct, 1)}%

            {(pct >= 0 ? "That's an increase" : "That's a decrease")} of {Fmt.D(Math.Abs(pct), 1)}%.

            {Close(rng, $"{(pct >= 0 ? "+" : "-")}{Fmt.D(Math.Abs(pct), 1)}%")}
            """;
        var follow = ("What percentage change would bring it back to the old price?",
            $"Going from {Fmt.Money(after)} back to {Fmt.Money(before)} is a change of {Fmt.D(before - after)} / {Fmt.D(after)} x 100 = {Fmt.D((before - after) / after * 100, 1)}%. It isn't simply the opposite of {Fmt.D(pct, 1)}%, because the percentage is now taken of a different starting amount.");
        return new MathProblem(question, solution, follow);
    }
}
