using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Help-centre FAQ entries per company, as a spreadsheet export would hold them (multi-line answers, quotes, commas).</summary>
internal static class ProductFaq
{
    private static readonly string[] Countries = ["Canada", "Germany", "Portugal", "the United Kingdom", "Australia", "Japan", "Mexico", "Norway", "Ireland", "Poland"];

    private static readonly string[] BillingPaths = ["Settings > Billing", "My account > Payments", "Profile > Plan & billing", "Menu > Subscription", "Account > Invoices & payments"];

    private static readonly string[] HelpChannels = ["live chat", "the Help menu", "our contact form", "the in-app chat", "phone support"];

    private delegate (string Question, string Answer, string Category)? EntryMaker(DeterministicRandom rng, Company c, int variant);

    private static readonly EntryMaker[] Makers =
    [
        Shipping, Returns, Payment, Password, Pause, Devices, Encryption, TeamMembers, ChangePlan, WarrantyClaim,
        StudentDiscount, Cancel, Invoices, FreeTrial, GiftCards, Outage,
    ];

    /// <summary>Every company/topic entry that applies, in a shuffled order; each combination at most once.</summary>
    public static List<(string Question, string Answer, string Category)> Entries(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var entries = new List<(string, string, string)>();
        for (var c = 0; c < Company.All.Length; c++)
        {
            for (var m = 0; m < Makers.Length; m++)
            {
                if (Makers[m](rng, Company.All[c], c + m) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        rng.Shuffle(entries);
        return entries;
    }

    private static string Billing(Company c) => BillingPaths[Array.IndexOf(Company.All, c) % BillingPaths.Length];

    private static string Help(Company c) => HelpChannels[Array.IndexOf(Company.All, c) % HelpChannels.Length];

    private static (string, string, string)? Shipping(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Retail)
        {
            return null;
        }

        var country = rng.Pick(Countries);
        var (lo, hi) = (rng.Between(2, 5), rng.Between(6, 12));
        var express = Fmt.Money(rng.Between(8, 25) + 0.95m, c.Currency);
        return (variant % 2 == 0 ? $"How long does {c.Name} take to ship to {country}?" : $"Do you deliver to {country}, and how fast?",
            variant % 2 == 0
                ? $"""
                  Standard shipping to {country} takes {lo}-{hi} business days.
                  Express shipping takes {rng.Between(1, 3)} business days and costs {express}.
                  You'll get a tracking link by email as soon as your order leaves our warehouse.
                  """
                : $"""
                  Yes! Orders to {country} usually arrive within {hi} working days; most take {lo} or {lo + 1}.
                  In a hurry? Choose "Express" at checkout ({express}) and your {c.Offering} order jumps the queue.
                  Customs duties, if any, are included in the price you see.
                  """, "shipping");
    }

    private static (string, string, string)? Returns(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Retail)
        {
            return null;
        }

        if (c.Name.StartsWith("Verdant", StringComparison.Ordinal))
        {
            return ($"Can I return groceries to {c.Name}?",
                $"""
                Fresh and chilled products can't be returned, but if something arrives damaged or past its date, tell us within {c.ReturnDays} days and we'll refund it in full.
                Go to "My orders", choose the item and click "Report a problem". A photo helps, but isn't required.
                """, "returns");
        }

        return variant % 2 == 0
            ? ($"What is the {c.Name} return policy?",
               $"""
               You can return any item within {c.ReturnDays} days of delivery, as long as it's unused and in its original packaging.
               1. Go to "My orders" and click "Return item".
               2. Print the prepaid label, or show the QR code at a drop-off point.
               3. Refunds are issued within 5 business days after the return arrives.
               Sale items marked "final sale" can't be returned.
               """, "returns")
            : ($"I changed my mind about a {rng.Pick(c.Products)}. Can I send it back?",
               $"Of course, within {c.ReturnDays} days. Start the return from your order confirmation email (the \"Return\" button), pack the {c.Offering} item with its tags or accessories, and drop it off with any {rng.PickOne("DHL", "UPS", "GLS", "DPD")} point; it's free. We refund the original payment method once the parcel is scanned, not when it arrives.", "returns");
    }

    private static (string, string, string)? Payment(DeterministicRandom rng, Company c, int variant)
    {
        var currency = c.Currency == "€" ? "euros" : c.Currency == "£" ? "pounds sterling" : "US dollars";
        return (variant % 3) switch
        {
            0 => ($"Which payment methods does {c.Name} accept?",
                $"We accept Visa, Mastercard, American Express, PayPal and Apple Pay. Prices are charged in {currency}; if your card is in another currency, your bank may add a conversion fee.", "billing"),
            1 => ($"Can I pay {c.Name} by bank transfer?",
                c.Currency == "€"
                    ? $"""
                      Yes. In the EU we support SEPA direct debit and iDEAL, next to cards and PayPal.
                      Choose "Bank account" under {Billing(c)} and enter your IBAN; the first debit happens on your next billing date.
                      """
                    : $"Not directly, sorry. We take debit and credit cards, PayPal and Google Pay, all charged in {currency}. Business accounts paying more than {Fmt.Money(rng.Between(5, 20) * 100, c.Currency)} a year can ask {Help(c)} for invoicing with 30-day payment terms.", "billing"),
            _ => ($"Why was my card declined at {c.Name}?",
                $"""
                Most declines come from the bank, not from us. Common reasons:
                - the card has expired or the billing address doesn't match,
                - the bank blocked an online or foreign-currency payment ({currency}),
                - 3-D Secure verification wasn't completed in your banking app.
                Try again after checking those, or use PayPal instead. We never store a declined card.
                """, "billing"),
        };
    }

    private static (string, string, string)? Password(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind == CompanyKind.Retail && variant % 2 == 0)
        {
            return null;
        }

        return (variant % 3) switch
        {
            0 => ($"I forgot my {c.Name} password. How do I reset it?",
                $"""
                On the sign-in page, click "Forgot password?" and enter the address you registered with.
                We'll send a reset link that is valid for {rng.PickOne(30, 60, 120)} minutes.
                If the email doesn't arrive, check your spam folder, or contact us through {Help(c)}.
                """, "account"),
            1 => ($"The {c.Name} password reset email never arrives. What now?",
                $"Reset emails are sent from a no-reply address within a couple of minutes. If nothing shows up, look in spam or promotions, and check for typos in the address you typed: we only send the link to the exact address on your account. Company mail filters sometimes hold these messages; ask your IT team to allow our domain, or reach us through {Help(c)} and we'll verify you another way.", "account"),
            _ => ($"How do I change my {c.Name} password?",
                $"""
                While signed in, open {rng.PickOne("Settings > Security", "Profile > Password", "Account > Sign-in & security")} and choose "Change password".
                You'll need your current password; a new one must be at least {rng.PickOne(10, 12)} characters.
                Changing it signs you out on all other devices.
                """, "account"),
        };
    }

    private static (string, string, string)? Pause(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Subscription)
        {
            return null;
        }

        var months = rng.Between(1, 3);
        return ($"Can I pause my {c.Name} subscription instead of cancelling?",
            variant % 2 == 0
                ? $"Yes. Under {Billing(c)}, choose \"Pause subscription\" and pick a period of up to {Fmt.Plural(months, "month")}. You won't be charged while paused, your data stays exactly as it is, and billing resumes automatically at the end of the pause."
                : $"""
                  You can, once per year, for {Fmt.Plural(months, "month")} at most.
                  While paused, your {c.Offering} account is read-only: nothing is deleted, but you can't add anything new.
                  To resume early, just sign in and press "Resume".
                  """, "subscription");
    }

    private static (string, string, string)? Devices(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Subscription)
        {
            return null;
        }

        return ($"Which devices does {c.Name} work on?",
            $"""
            {c.Name} works on:
            - Windows 10 and 11
            - macOS {rng.Between(12, 13)} or later
            - iOS and iPadOS {rng.Between(15, 16)} or later
            - Android {rng.Between(9, 11)} or later
            You can use one account on up to {rng.Between(3, 10)} devices at the same time, and your data syncs between them automatically.
            """, "technical");
    }

    private static (string, string, string)? Encryption(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind == CompanyKind.Retail)
        {
            return null;
        }

        var region = rng.PickOne("the EU (Frankfurt and Dublin)", "the US (Oregon and Virginia)", "the EU and the US, depending on your region");
        return variant % 2 == 0
            ? ($"Is my data encrypted at {c.Name}?",
               $"Yes. Data is encrypted in transit with TLS 1.2 or later and at rest with AES-256. Our data centres are in {region}. We never sell your data, and you can export or delete it at any time from the privacy page in your account.", "privacy")
            : ($"Where does {c.Name} store my data, and who can see it?",
               $"""
               Everything lives in {region}, with encrypted backups in a second location.
               Only a small on-call team can access production systems, and every access is logged and reviewed.
               Support staff see your account details only when you open a ticket and grant access.
               """, "privacy");
    }

    private static (string, string, string)? TeamMembers(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Subscription || c.Plans.Length < 3)
        {
            return null;
        }

        return ($"How do I add team members to my {c.Name} account?",
            $"""
            Team members are available on the "{c.Plans[^1]}" plan.
            1. Open Settings > Team.
            2. Click "Invite", enter their work address and choose a role ("Admin", "Editor" or "Viewer").
            3. They'll get an invitation that expires after {rng.Between(3, 14)} days.
            Each additional member is billed {Fmt.Money(rng.Between(3, 15), c.Currency)} per month.
            """, "account");
    }

    private static (string, string, string)? ChangePlan(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Plans.Length == 0)
        {
            return null;
        }

        return variant % 2 == 0
            ? ($"Can I switch between {Fmt.JoinAnd(c.Plans)} later?",
               $"Yes, you can change plans at any time under {Billing(c)}. Upgrades apply immediately and you pay the prorated difference; downgrades take effect at the start of your next billing period, so you keep what you've paid for until then.", "subscription")
            : ($"What's the difference between {c.Plans[0]} and {c.Plans[^1]}?",
               $"""
               {c.Plans[0]} covers the basics of {c.Offering} for one person.
               {c.Plans[^1]} adds priority support, {rng.PickOne("more storage", "advanced reports", "family sharing", "higher limits")} and early access to new features.
               You can compare every plan side by side on our pricing page, and move up or down whenever you like.
               """, "subscription");
    }

    private static (string, string, string)? WarrantyClaim(DeterministicRandom rng, Company c, int variant)
    {
        if (c.WarrantyYears == 0)
        {
            return null;
        }

        var product = rng.Pick(c.Products);
        return ($"What does the {c.Name} warranty cover on a {product}?",
            $"""
            Your {product} has a {c.WarrantyYears}-year warranty from the date of delivery. It covers manufacturing defects and failures during normal use.
            It doesn't cover accidental damage, normal wear (for example "scratches, scuffs or worn grips"), or repairs by third parties.
            To make a claim, contact {Help(c)} with your order number and a short description or video of the problem.
            """, "warranty");
    }

    private static (string, string, string)? StudentDiscount(DeterministicRandom rng, Company c, int variant)
    {
        if (variant % 2 == 1)
        {
            return null;
        }

        var pct = rng.PickOne(10, 15, 20, 30, 50);
        return ($"Does {c.Name} offer a student discount?",
            $"Yes, students get {pct}% off. Verify your status once through our partner on the \"Student discount\" page, and the discount is applied automatically for {rng.Between(1, 4)} years. It can't be combined with other promo codes.", "billing");
    }

    private static (string, string, string)? Cancel(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind == CompanyKind.Retail)
        {
            return null;
        }

        return ($"How do I cancel my {c.Name} {(c.Kind == CompanyKind.Telecom ? "contract" : "subscription")}?",
            c.Kind == CompanyKind.Telecom
                ? $"""
                  You can cancel at the end of your minimum term with {rng.Between(14, 30)} days' notice.
                  Call us or use the cancellation form under My account > Contract.
                  If you cancel during the minimum term, an early termination fee applies: the remaining monthly charges, minus {rng.Between(10, 40)}%.
                  Equipment such as the {c.Products[0]} must be returned within 30 days; we'll send a prepaid box.
                  """
                : $"Go to {Billing(c)} > \"Cancel subscription\". Your plan stays active until the end of the current period, and you won't be charged again. Your data is kept for {rng.PickOne(30, 60, 90)} days in case you change your mind.", "subscription");
    }

    private static (string, string, string)? Invoices(DeterministicRandom rng, Company c, int variant) => (variant % 3) switch
    {
        0 => ($"Where can I find my {c.Name} invoices?",
            $"""
            All invoices are under {(c.Kind == CompanyKind.Retail ? "My orders > Invoices" : Billing(c))}, as PDFs.
            To add a company name, address or VAT number, edit "Invoice details" on the same page; it applies to future invoices, and support can reissue older ones.
            """, "billing"),
        1 => ($"Can {c.Name} send invoices straight to my accountant?",
            $"Yes: add a second billing contact under {Billing(c)} and every invoice is copied to them automatically. They don't need their own login, and you can remove them at any time.", "billing"),
        _ => null,
    };

    private static (string, string, string)? FreeTrial(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Subscription)
        {
            return null;
        }

        var days = rng.PickOne(7, 14, 30);
        return ($"Is there a free trial of {c.Name}?",
            $"Yes, every new account gets a {days}-day free trial of the \"{c.Plans[^1]}\" plan, with no card required. At the end of the trial you can choose a plan; if you don't, the account switches to {(c.Plans[0] == "Free" ? "the Free plan" : "read-only mode")} and nothing is deleted.", "subscription");
    }

    private static (string, string, string)? GiftCards(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind != CompanyKind.Retail)
        {
            return null;
        }

        var years = rng.Between(2, 5);
        return variant % 2 == 0
            ? ($"Do {c.Name} gift cards expire?",
               $"Gift cards are valid for {years} years from the date of purchase. They can be used online for any product, including sale items, and the remaining balance stays on the card, so you don't have to spend it all at once. Gift cards can't be exchanged for cash.", "billing")
            : ($"How do I use a {c.Name} gift card?",
               $"""
               Enter the 16-character code at checkout, in the field "Gift card or voucher".
               If your order costs more than the card's balance, pay the rest by card or PayPal.
               Lost the code? {Fmt.Capitalize(Help(c))} can resend it to whoever bought the card. Cards stay valid for {years} years.
               """, "billing");
    }

    private static (string, string, string)? Outage(DeterministicRandom rng, Company c, int variant)
    {
        if (c.Kind == CompanyKind.Retail)
        {
            return null;
        }

        return ($"How do I know if {c.Name} is down?",
            $"""
            Check our status page, linked at the bottom of every page of our website, for live information about outages and maintenance.
            Planned maintenance is announced at least {rng.Between(2, 7)} days in advance and usually happens at night, between 01:00 and 04:00 local time.
            You can subscribe to status updates by email or RSS on the same page.
            """, "technical");
    }
}
