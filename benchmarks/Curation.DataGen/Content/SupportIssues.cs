using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Support ticket scenarios. Each method draws its own details so two tickets rarely read alike.</summary>
internal static class SupportIssues
{
    private static readonly string[] Carriers = ["DHL", "UPS", "DPD", "FedEx", "PostNL", "Evri", "GLS", "Canada Post"];

    private static readonly string[] DelayReasons =
    [
        "a missed scan at the depot", "a backlog after the holiday weekend", "an incomplete address label",
        "severe weather on the route", "a sorting machine outage", "a failed first delivery attempt",
    ];

    private static readonly string[] Damages =
    [
        "arrived with a cracked lid", "has a tear along the seam", "was missing the power cable", "arrived dented on one side",
        "doesn't turn on at all", "has a broken zipper", "came with a scratched front panel", "leaks from the base",
    ];

    private static readonly string[] FoodDamages =
    [
        "arrived crushed", "was past its use-by date", "was leaking all over the bag", "arrived warm although it should be chilled",
        "was mouldy when I opened it", "had a torn package",
    ];

    private static readonly string[] Platforms = ["iPhone", "Android phone", "iPad", "Windows laptop", "MacBook", "Chromebook"];

    public static SupportCase LateDelivery(DeterministicRandom rng, Company company)
    {
        var item = rng.Pick(company.Products);
        var reference = Fmt.Reference(rng, company.Prefix);
        var ordered = Fmt.Day(rng.Between(0, 700));
        var promised = rng.Between(2, 6);
        var carrier = rng.Pick(Carriers);
        var waited = promised + rng.Between(3, 9);
        var city = rng.Pick(Vocabulary.Cities);
        var hours = rng.PickOne(24, 48, 72);
        var fee = Fmt.Money(rng.Between(4, 15) + 0.99m, company.Currency);
        var opening = rng.Next(3) switch
        {
            0 => $"Hi, I ordered a {item} on {Fmt.Long(ordered)} and it still hasn't arrived. The website said delivery in {promised} business days. Can you check what's going on?",
            1 => $"My order is late. It was supposed to arrive {waited - promised} days ago and the {carrier} tracking hasn't updated since it left your warehouse. What should I do?",
            _ => $"Hello, where is my {item}? I paid for express shipping and it's been {waited} days now.",
        };
        var ask = rng.Next(2) == 0
            ? $"I'm sorry your order is running late. Could you share the order number (it starts with {company.Prefix}-) so I can look up the shipment?"
            : $"Thanks for reaching out, and apologies for the wait. Can you send me the order number from your confirmation email? I'll check the tracking with {carrier}.";
        var details = rng.Next(3) switch
        {
            0 => $"Sure, it's {reference}.",
            1 => $"The order number is {reference}.",
            _ => $"{reference}. It was a gift, so I'd really like it before the weekend.",
        };
        var resolution = $"""
            Thanks! Order {reference} left our warehouse on {Fmt.Long(ordered.AddDays(1))} with {carrier}, but the parcel has been held at the {city} sorting centre because of {rng.Pick(DelayReasons)}. I've opened a trace with {carrier}, and they usually respond within {hours} hours.

            Here's what happens next:
            1. If the parcel moves in the next {hours} hours, you'll get a tracking update by email.
            2. If it doesn't, we'll send a replacement {item} by express shipping at no cost, and you won't need to do anything.
            3. Either way, I've refunded the {fee} shipping fee to your original payment method.

            Sorry again for the delay.
            """;
        var followUp = rng.Next(2) == 0
            ? ("Will I have to send the first parcel back if it turns up later?",
               $"No need. If both parcels arrive, keep the first one or pass it on to someone who can use it; we won't charge you for it. Just reply to this thread if anything else goes wrong with order {reference}.")
            : ("How long until I see the shipping refund?",
               $"Card refunds usually appear within 3 to 5 business days, depending on your bank. You'll see it as a credit from {company.Name} for {fee}.");
        return new SupportCase("shipping", opening, opening + $" Order {reference}.", ask, details, resolution, followUp);
    }

    public static SupportCase DamagedItem(DeterministicRandom rng, Company company)
    {
        var item = rng.Pick(company.Products);
        var groceries = company.Name.StartsWith("Verdant", StringComparison.Ordinal);
        var damage = rng.Pick(groceries ? FoodDamages : Damages);
        var reference = Fmt.Reference(rng, company.Prefix);
        var price = Fmt.Money((groceries ? rng.Between(2, 39) : rng.Between(19, 420)) + 0.99m, company.Currency);
        var days = rng.Between(1, 6);
        var opening = rng.Next(3) switch
        {
            0 => $"The {item} I received {damage}. I'd like a refund please.",
            1 => $"Hi there, my {item} {damage}. I've only had it {Fmt.Plural(days, "day")}. Can I get it replaced?",
            _ => $"Really disappointed: the {item} {damage}. What are my options?",
        };
        var ask = rng.Next(2) == 0
            ? "I'm sorry it arrived like that. Could you send me your order number and, if possible, a photo of the damage? That lets me skip the return inspection."
            : $"That's not the experience we want you to have. What's the order number? Once I have it I can set up a refund or a replacement, whichever you prefer.";
        var wantsRefund = rng.Next(2) == 0;
        var details = $"It's {reference}. I've attached two photos. " + (wantsRefund ? "I'd prefer a refund." : "A replacement would be great.");
        var outcome = wantsRefund
            ? $"I've issued a full refund of {price} for order {reference}. It will reach your original payment method within 3 to 5 business days."
            : $"I've created a replacement order for the {item}; it ships within one business day and you'll get a new tracking link by email.";
        var resolution = $"""
            Thank you for the photos, they're clear enough that we don't need the item back for inspection.

            {outcome}

            You don't need to return the damaged {item}. Please recycle it according to local rules{(company.WarrantyYears > 0 ? ", or keep any undamaged accessories" : string.Empty)}.
            """;
        var followUp = ("Do I need to do anything else?",
            $"Nothing else. The case for {reference} is closed on our side, and you'll get an email confirmation shortly. If the confirmation doesn't arrive within a day, reply here and I'll resend it.");
        return new SupportCase("returns", opening, opening + $" My order number is {reference}.", ask, details, resolution, rng.Chance(0.5) ? followUp : null);
    }

    public static SupportCase ChangeAddress(DeterministicRandom rng, Company company)
    {
        var reference = Fmt.Reference(rng, company.Prefix);
        var oldCity = rng.Pick(Vocabulary.Cities);
        var newCity = rng.Pick(Vocabulary.Cities);
        var street = rng.Between(2, 240) + " " + rng.PickOne("Maple Street", "Harbour Road", "Elm Avenue", "Station Lane", "Rue des Lilas", "Calle Mayor", "Parkweg");
        var shipped = rng.Chance(0.4);
        var opening = rng.Next(2) == 0
            ? $"I just placed an order but put my old address in {oldCity}. Can I still change it?"
            : $"Hi! Is it possible to change the delivery address on an order? I'm moving to {newCity} this week.";
        var ask = "Of course. Please send the order number and the full new address, and I'll check whether the parcel has left the warehouse yet.";
        var details = $"Order {reference}. New address: {street}, {newCity}.";
        var resolution = shipped
            ? $"""
              Order {reference} was handed to the carrier this morning, so I can't edit the address in our system any more. Two options:

              - I can ask the carrier to redirect it to {street}, {newCity}. Redirects succeed most of the time but can add 1 to 2 days.
              - Or you can let it be delivered and have the current occupant forward it.

              Let me know which you prefer and I'll set it up right away.
              """
            : $"""
              Good timing: order {reference} hadn't been packed yet, so I've updated the delivery address to:

              {street}
              {newCity}

              Your delivery estimate stays the same. You'll get an updated confirmation email within a few minutes.
              """;
        return new SupportCase("shipping", opening, opening + $" The order is {reference}.", ask, details, resolution,
            shipped ? ("Please redirect it.", $"Done. I've requested a redirect for {reference} to {newCity}. The carrier confirms redirects within one business day; I'll update you here as soon as they do.") : null);
    }

    public static SupportCase ExchangeSize(DeterministicRandom rng, Company company)
    {
        var item = rng.Pick(company.Products);
        var sizes = new[] { "XS", "S", "M", "L", "XL" };
        var from = rng.Between(0, 3);
        var to = from + 1;
        var reference = Fmt.Reference(rng, company.Prefix);
        var opening = rng.Next(2) == 0
            ? $"The {item} in size {sizes[from]} is too small. Can I swap it for {sizes[to]}?"
            : $"Hi, I need to exchange my {item} for one size up ({sizes[to]} instead of {sizes[from]}). How does that work?";
        var ask = "Happy to help with an exchange. Which order was it on? I'll check that the new size is in stock.";
        var details = $"{reference}, bought on {Fmt.Long(Fmt.Day(rng.Between(0, 700)))}.";
        var resolution = $"""
            Size {sizes[to]} is in stock, so I've set up the exchange on order {reference}:

            1. Print the prepaid return label I've just emailed you.
            2. Pack the {item} in its original bag with the tags still attached.
            3. Drop it at any {rng.Pick(Carriers)} point within {company.ReturnDays} days.

            We ship the {sizes[to]} as soon as the carrier scans your return, so you don't have to wait for it to reach our warehouse.
            """;
        return new SupportCase("returns", opening, opening + $" Order {reference}.", ask, details, resolution, null);
    }

    public static SupportCase DoubleCharge(DeterministicRandom rng, Company company)
    {
        var amount = Fmt.Money(rng.Between(5, 300) + rng.PickOne(0.00m, 0.49m, 0.99m, 0.50m), company.Currency);
        var last4 = Fmt.I(rng.Between(1000, 9999));
        var day = Fmt.Day(rng.Between(0, 700));
        var opening = rng.Next(3) switch
        {
            0 => $"I was charged twice for the same payment of {amount} on {Fmt.Long(day)}. Please fix this.",
            1 => $"Hello, my bank statement shows two charges of {amount} from {company.Name}. I only made one purchase.",
            _ => $"Why did you take {amount} from my card two times? This needs to be refunded.",
        };
        var ask = "I'm sorry about that, duplicate charges are stressful. Could you tell me the date of the charges and the last four digits of the card, so I can find the payment?";
        var details = $"Both on {Fmt.Long(day)}, card ending in {last4}.";
        var pending = rng.Chance(0.5);
        var resolution = pending
            ? $"""
              I found the payment on the card ending in {last4}. Only one charge of {amount} was captured; the second one is a pending authorisation from a retried payment. Pending authorisations are released automatically by your bank, usually within 5 to 7 days, and never turn into a real charge.

              If it is still showing after 7 days, reply here and I'll send you a letter from our payments team that you can give to your bank.
              """
            : $"""
              You're right: the card ending in {last4} was charged {amount} twice on {Fmt.Long(day)} because the payment page timed out and retried. I've refunded the duplicate charge just now.

              The refund is on its way and usually shows up within 3 to 5 business days. Your original payment stays as it is.
              """;
        return new SupportCase("billing", opening, opening + $" The card ends in {last4}.", ask, details, resolution,
            ("Is there a reference I can give my bank?", $"Yes, use {Fmt.Reference(rng, "RF")}. Your bank can match it to the {amount} transaction from {Fmt.Long(day)}."));
    }

    public static SupportCase PromoCode(DeterministicRandom rng, Company company)
    {
        var code = rng.PickOne("SPRING", "WELCOME", "FRIENDS", "SAVE", "AUTUMN", "STUDENT") + Fmt.I(rng.Between(10, 30));
        var percent = rng.PickOne(10, 15, 20, 25);
        var minimum = Fmt.Money(rng.PickOne(40, 50, 75, 100), company.Currency);
        var expired = rng.Chance(0.5);
        var opening = rng.Next(2) == 0
            ? $"The code {code} isn't working at checkout. It says invalid."
            : $"Hi, I got a {percent}% discount code ({code}) in your newsletter but the checkout won't accept it. Can you help?";
        var ask = "Sorry for the trouble. What's in your basket right now, and roughly what's the total before the discount?";
        var details = $"Just one item, the total is a bit under {minimum}.";
        var resolution = expired
            ? $"""
              I checked {code}: it ended on {Fmt.Long(Fmt.Day(rng.Between(0, 700)))}, which is why checkout rejects it. As a one-off I've added a {percent}% credit to your account instead. It's applied automatically to your next order, with no code needed.
              """
            : $"""
              {code} is still valid, but it needs a basket of at least {minimum} before the discount. That's why checkout says invalid, and I agree the message should be clearer.

              If you add anything that brings the total over {minimum}, the {percent}% comes off the whole basket, including the first item.
              """;
        return new SupportCase("billing", opening, opening, ask, details, resolution, null);
    }

    public static SupportCase Warranty(DeterministicRandom rng, Company company)
    {
        var item = rng.Pick(company.Products);
        var months = rng.Between(3, company.WarrantyYears * 12 + 8);
        var covered = months <= company.WarrantyYears * 12;
        var reference = Fmt.Reference(rng, company.Prefix);
        var fault = rng.PickOne("stopped heating", "makes a grinding noise", "won't hold a charge", "shows an error light", "switches itself off after a few minutes", "has a loose connector");
        var opening = $"My {item} {fault}. I bought it about {Fmt.Plural(months, "month")} ago. Is it still under warranty?";
        var ask = "Sorry to hear that. Could you send the order number or, if you bought it in a shop, the date on the receipt?";
        var details = $"The order number is {reference}.";
        var resolution = covered
            ? $"""
              Good news: order {reference} is within the {company.WarrantyYears}-year warranty, so the repair is free.

              Next steps:
              1. I've emailed a prepaid shipping label and a repair form.
              2. Pack the {item} with its charger or cable, if it has one.
              3. Our repair centre aims to send it back within 10 business days.

              If it can't be repaired, we'll replace it with the same model or a newer one.
              """
            : $"""
              I checked order {reference}: the {company.WarrantyYears}-year warranty ended {Fmt.Plural(months - company.WarrantyYears * 12, "month")} ago, so a free repair isn't possible. What I can offer:

              - An out-of-warranty repair with a fixed fee, quoted before any work starts.
              - A 20% loyalty discount on a new {item}.

              Would either of those work for you?
              """;
        return new SupportCase("warranty", opening, opening + $" Order {reference}.", ask, details, resolution, null);
    }

    public static SupportCase LoginProblem(DeterministicRandom rng, Company company)
    {
        var platform = rng.Pick(Platforms);
        var lostPhone = rng.Chance(0.5);
        var opening = lostPhone
            ? $"I got a new phone and now I can't log in to {company.Name} because the two-factor codes went to my old one."
            : $"I keep getting \"incorrect password\" on the {company.Name} app on my {platform}, even after resetting it twice.";
        var ask = "I can help with that. To find your account, could you give me the username or the account ID shown on your last invoice? Please don't send your password.";
        var accountId = Fmt.Reference(rng, "AC");
        var details = $"My account ID is {accountId}.";
        var resolution = lostPhone
            ? $"""
              Thanks. For security I can't turn off two-factor authentication from chat, but you can recover the account yourself:

              1. On the sign-in page, choose "Use a recovery code".
              2. Enter one of the recovery codes you saved when you set up two-factor authentication.
              3. Go to Settings > Security and register your new phone.

              If you don't have the recovery codes, use "I can't access my codes". We'll verify your identity by email and the request is usually approved within 24 hours.
              """
            : $"""
              Thanks, I found account {accountId}. The password resets worked, but the app on your {platform} is an old version that caches credentials. Please:

              1. Update the {company.Name} app from the app store.
              2. Sign out completely, then sign in with the new password.
              3. If it still fails, clear the app's data or reinstall it.

              I've also cleared the temporary lock that the failed attempts put on the account.
              """;
        return new SupportCase("account", opening, opening + $" Account ID {accountId}.", ask, details, resolution, null);
    }

    public static SupportCase CancelSubscription(DeterministicRandom rng, Company company)
    {
        var plan = rng.Pick(company.Plans);
        var renewal = Fmt.Day(rng.Between(0, 700));
        var price = Fmt.Money(rng.Between(4, 30) + 0.99m, company.Currency);
        var reason = rng.PickOne("I don't use it enough", "it's too expensive for me right now", "I'm switching to a different tool", "my company pays for a team plan now");
        var opening = rng.Next(2) == 0
            ? $"Please cancel my {plan} subscription, {reason}."
            : $"How do I cancel? I'm on the {plan} plan and it renews on {Fmt.Long(renewal)}.";
        var ask = $"I can take care of that. Can you confirm the account ID, and whether you'd like the cancellation to happen now or at the end of the current billing period?";
        var accountId = Fmt.Reference(rng, "AC");
        var details = $"{accountId}. End of the period is fine.";
        var resolution = $"""
            Done. Your {plan} subscription on account {accountId} is set to cancel on {Fmt.Long(renewal)}. Until then everything keeps working, and you won't be charged the {price} renewal.

            A few things to know:
            - Your data stays available for 90 days after cancellation, so you can export it or come back.
            - You can undo the cancellation any time before {Fmt.Short(renewal)} under Settings > Billing.

            Thanks for being a {company.Name} customer.
            """;
        return new SupportCase("subscription", opening, opening + $" Account {accountId}.", ask, details, resolution,
            rng.Chance(0.5) ? ("Will I get a confirmation email?", $"Yes, it was sent a moment ago with the subject \"Your {company.Name} cancellation\". If it isn't in your inbox, check the spam folder.") : null);
    }

    public static SupportCase ChangePlan(DeterministicRandom rng, Company company)
    {
        var from = rng.Next(company.Plans.Length - 1);
        var to = from + 1;
        var oldPrice = rng.Between(5, 40);
        var newPrice = oldPrice + rng.Between(3, 25);
        var daysLeft = rng.Between(3, 27);
        var credit = Math.Round((newPrice - oldPrice) * daysLeft / 30m, 2);
        var opening = rng.Next(2) == 0
            ? $"I'd like to upgrade from {company.Plans[from]} to {company.Plans[to]}. What will I be charged this month?"
            : $"If I switch to the {company.Plans[to]} plan today, do I lose what I already paid for {company.Plans[from]}?";
        var ask = "Good question. How many days are left in your current billing period? You can see it under Settings > Billing.";
        var details = $"It says {Fmt.Plural(daysLeft, "day")} left.";
        var resolution = $"""
            You won't lose anything: we prorate the change. With {Fmt.Plural(daysLeft, "day")} left, the charge today is the difference for the remaining days:

            ({Fmt.Money(newPrice, company.Currency)} - {Fmt.Money(oldPrice, company.Currency)}) x {daysLeft} / 30 = {Fmt.Money(credit, company.Currency)}

            From the next period you'll pay {Fmt.Money(newPrice, company.Currency)} a month for {company.Plans[to]}. You can switch under Settings > Billing > Change plan, and the new features unlock immediately.
            """;
        return new SupportCase("subscription", opening, opening + $" I have {Fmt.Plural(daysLeft, "day")} left in this period.", ask, details, resolution, null);
    }

    public static SupportCase AppCrash(DeterministicRandom rng, Company company)
    {
        var platform = rng.Pick(Platforms);
        var version = $"{rng.Between(3, 9)}.{rng.Between(0, 20)}.{rng.Between(0, 9)}";
        var product = rng.Chance(0.5) ? "app" : rng.Pick(company.Products) + " app";
        var opening = rng.Next(2) == 0
            ? $"The {company.Name} {product} crashes as soon as I open it on my {platform}."
            : $"Since the last update the {product} closes on its own after a few seconds. I'm on a {platform}.";
        var ask = "Sorry about that. Which app version do you have? You can find it under Settings > About, or in the app store listing.";
        var details = $"Version {version}.";
        var resolution = $"""
            Thanks. Version {version} has a known bug on some {platform} setups where a corrupted cache makes the {product} crash at start-up. The fix ships in the next release; until then this works for most people:

            1. Force-close the app.
            2. Clear its cache (on Android: Settings > Apps > {company.Name} > Storage > Clear cache; on other devices, reinstall the app).
            3. Open it again and sign in.

            Your data is stored in your account, so nothing is lost by clearing the cache or reinstalling.
            """;
        return new SupportCase("technical", opening, opening + $" App version {version}.", ask, details, resolution,
            ("It works now, thanks!", "Great to hear. I've added your report to the bug ticket so the team knows the workaround helped."));
    }

    public static SupportCase DataExport(DeterministicRandom rng, Company company)
    {
        var deleteToo = rng.Chance(0.4);
        var opening = deleteToo
            ? $"I want to download all my data and then delete my {company.Name} account completely."
            : $"Is there a way to export everything I have in {company.Name}? I need a copy for my records.";
        var ask = "Yes. Before I start, which account should this be for? The account ID from your invoices is enough.";
        var accountId = Fmt.Reference(rng, "AC");
        var details = $"It's {accountId}.";
        var format = rng.PickOne("a ZIP file with CSV and JSON files", "a ZIP archive of your files plus a CSV index", "CSV files, one per data type");
        var resolution = $"""
            I've started an export for account {accountId}. It arrives as {format}, and you'll get a download link by email, usually within {rng.Between(1, 24)} hours. The link stays valid for 7 days.
            """ + (deleteToo
            ? "\n\nOnce you've downloaded it, reply here to confirm and I'll delete the account. Deletion is permanent: after 30 days even our backups no longer contain your data."
            : "\n\nYou can also start an export yourself any time from Settings > Privacy > Export my data.");
        return new SupportCase("privacy", opening, opening + $" Account {accountId}.", ask, details, resolution, null);
    }

    public static SupportCase InvoiceRequest(DeterministicRandom rng, Company company)
    {
        var month = Fmt.Day(rng.Between(0, 700));
        var opening = rng.Next(2) == 0
            ? $"I need an invoice with my company's VAT number for the {month.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} payment."
            : "Can you resend last month's invoice? My accountant needs a PDF copy.";
        var ask = "Sure. What's the account ID, and should the invoice show a company name or VAT number?";
        var accountId = Fmt.Reference(rng, "AC");
        var company2 = rng.PickOne("Harbourline Ltd", "Koster Design BV", "Atelier Brun SARL", "Oakridge Consulting LLC", "Nordlys AS");
        var details = $"Account {accountId}, company name {company2}.";
        var resolution = $"""
            I've reissued the invoice for account {accountId} with "{company2}" as the billing name and emailed it as a PDF.

            To avoid this in future, add the details under Settings > Billing > Invoice details. Every invoice after that includes them automatically, and you can download past invoices from the same page.
            """;
        return new SupportCase("billing", opening, opening + $" Account {accountId}.", ask, details, resolution, null);
    }

    public static SupportCase SlowConnection(DeterministicRandom rng, Company company)
    {
        var plan = rng.Pick(company.Plans);
        var expected = company.Kind == CompanyKind.Telecom && plan.StartsWith("Fiber", StringComparison.Ordinal) ? int.Parse(plan[6..], System.Globalization.CultureInfo.InvariantCulture) : 100;
        var actual = Math.Max(4, expected * rng.Between(4, 30) / 100);
        var opening = rng.Next(2) == 0
            ? $"My internet is really slow in the evenings. I pay for {plan} but speed tests show about {actual} Mbps."
            : $"Video calls keep freezing. I ran a speed test and got {actual} Mbps down, which is nowhere near what my {plan} plan should give.";
        var ask = "Thanks for running a speed test, that helps. Was it over Wi-Fi or with a cable plugged into the router? And which router model do you have?";
        var wired = rng.Chance(0.5);
        var details = wired ? $"Cable, straight into the {company.Products[0]}." : "Wi-Fi, from the living room. The router is the one you sent.";
        var resolution = wired
            ? $"""
              A wired test at {actual} Mbps points to the line rather than your home network. I can see errors on the connection to your street cabinet, so I've booked an engineer check; they'll contact you to arrange a time. In the meantime:

              1. Restart the router by holding the power button for 10 seconds.
              2. Make sure the fiber cable between the wall socket and the router isn't bent sharply.

              If the engineer confirms a line fault, we'll credit a week of service to your account.
              """
            : $"""
              Over Wi-Fi, the distance and walls between the router and your device often cut the speed a lot. Please try:

              1. A wired test with a laptop, to see the speed the line really delivers.
              2. Connecting to the 5 GHz network (its name ends in "-5G"), which is faster at short range.
              3. Moving the router off the floor and away from the TV and microwave.

              If the wired speed is still far below {plan}, reply with the result and I'll book an engineer visit.
              """;
        return new SupportCase("connectivity", opening, opening, ask, details, resolution, null);
    }

    public static SupportCase HighBill(DeterministicRandom rng, Company company)
    {
        var normal = rng.Between(20, 60);
        var extra = rng.Between(8, 90);
        var opening = $"This month's bill is {Fmt.Money(normal + extra, company.Currency)} instead of the usual {Fmt.Money(normal, company.Currency)}. What happened?";
        var ask = "Let me look into it. Can you give me the account ID printed at the top of the bill?";
        var accountId = Fmt.Reference(rng, "AC");
        var details = $"{accountId}.";
        var cause = company.Name.StartsWith("Orbit", StringComparison.Ordinal)
            ? $"roaming data used on {Fmt.Plural(rng.Between(2, 9), "day")} abroad, at the daily roaming rate"
            : "a one-off charge for the engineer visit and the pro-rated price rise that started mid-month";
        var resolution = $"""
            On account {accountId} the extra {Fmt.Money(extra, company.Currency)} comes from {cause}. Your plan price itself hasn't changed.

            To avoid surprises, you can switch on spending alerts under My account > Usage. You'll get a text when extra charges pass an amount you choose. If you think any of these charges are wrong, reply with the date and I'll review that line.
            """;
        return new SupportCase("billing", opening, opening + $" Account {accountId}.", ask, details, resolution, null);
    }
}
