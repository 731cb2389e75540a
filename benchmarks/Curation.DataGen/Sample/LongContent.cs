using System.Globalization;
using System.Text;
using Curation.DataGen.Content;
using Curation.DataGen.Text;

namespace Curation.DataGen.Sample;

/// <summary>Realistic but far too long responses (tens of kilobytes) for <see cref="PlantedIssue.OverLongResponse"/>.</summary>
internal static class LongContent
{
    public static string PythonModule(DeterministicRandom rng, int targetBytes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var text = new StringBuilder("Here's the complete validation module, covering every record type we discussed:\n\n```python\n");
        text.Append("\"\"\"Validation helpers generated from the data contracts.\"\"\"\n\nfrom dataclasses import dataclass\n\n\n");
        text.Append("@dataclass\nclass ValidationError:\n    field: str\n    message: str\n\n\n");
        var round = 0;
        while (text.Length < targetBytes)
        {
            foreach (var e in CodeEntity.All)
            {
                var suffix = round == 0 ? string.Empty : "_v" + (round + 1).ToString(CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $$""""
                    def validate_{{e.Singular}}{{suffix}}(record: dict) -> list[ValidationError]:
                        """Check one {{e.Singular}} record against the contract."""
                        errors = []
                        if not isinstance(record.get("id"), int):
                            errors.append(ValidationError("id", "must be an integer"))
                        value = record.get("{{e.Number}}")
                        if value is None:
                            errors.append(ValidationError("{{e.Number}}", "is required"))
                        elif not {{e.Low}} <= value <= {{e.High * (round + 1)}}:
                            errors.append(ValidationError("{{e.Number}}", "must be between {{e.Low}} and {{e.High * (round + 1)}}"))
                        if record.get("{{e.Key}}") not in {{{string.Join(", ", e.KeyValues.Select(v => "\"" + v + "\""))}}}:
                            errors.append(ValidationError("{{e.Key}}", "unknown value"))
                        return errors



                    """");
            }

            round++;
        }

        text.Append("```\n\nEach function returns a list of errors instead of raising, so you can report all problems in a record at once.");
        return text.ToString();
    }

    public static string NginxConfig(DeterministicRandom rng, int targetBytes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var text = new StringBuilder("Sure, here's the full configuration with every site included, so you can paste it as is:\n\n```nginx\n");
        var site = 0;
        while (text.Length < targetBytes)
        {
            var host = Vocabulary.Hosts[site % Vocabulary.Hosts.Length] + "-" + (site / Vocabulary.Hosts.Length + 1).ToString(CultureInfo.InvariantCulture);
            var port = 8000 + site;
            text.Append(CultureInfo.InvariantCulture, $$"""
                server {
                    listen 443 ssl;
                    server_name {{host}}.internal.example.com;

                    ssl_certificate     /etc/ssl/certs/{{host}}.pem;
                    ssl_certificate_key /etc/ssl/private/{{host}}.key;

                    access_log /var/log/nginx/{{host}}.access.log;
                    error_log  /var/log/nginx/{{host}}.error.log warn;

                    location / {
                        proxy_pass http://localhost:{{port}};
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_read_timeout {{30 + site % 5 * 15}}s;
                    }
                }


                """);
            site++;
        }

        text.Append("```\n\nRun `sudo nginx -t` before reloading.");
        return text.ToString();
    }

    public static string ConversionTable(DeterministicRandom rng, int targetBytes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var text = new StringBuilder("| °C | °F | K |\n|---:|---:|---:|\n");
        var celsius = -50.0m;
        while (text.Length < targetBytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Fmt.D(celsius, 1)} | {Fmt.D(celsius * 9 / 5 + 32, 2)} | {Fmt.D(celsius + 273.15m, 2)} |\n");
            celsius += 0.5m;
        }

        return text.ToString().TrimEnd();
    }

    public static string Changelog(DeterministicRandom rng, int targetBytes)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var notes = new EngineeringNotes();
        var text = new StringBuilder("Complete changelog export\n\n");
        while (text.Length < targetBytes)
        {
            text.Append(notes.Next(rng).Response).Append("\n\n");
        }

        return text.ToString().TrimEnd();
    }
}
