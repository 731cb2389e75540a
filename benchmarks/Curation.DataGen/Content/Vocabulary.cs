namespace Curation.DataGen.Content;

/// <summary>Word lists shared by the generators. Some names carry accents on purpose: real data is not ASCII-only.</summary>
internal static class Vocabulary
{
    public static readonly string[] FirstNames =
    [
        "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas", "Kofi", "Lena",
        "Mateo", "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Samir", "Tanya", "Umar", "Valeria", "Wei", "Ximena",
        "Yusuf", "Zoë", "José", "Søren", "Anaïs", "Björn", "Chloé", "Łukasz", "Renée", "François", "Marta", "Noah",
        "Emma", "Liam", "Sofia", "Lucas", "Mia", "Ethan", "Amara", "Tomás", "Hannah", "Ravi", "Ingrid", "Kenji",
        "Leila", "Omar", "Paula", "Declan", "Freya", "Gustavo", "Hana", "Ivan", "Julia", "Kai", "Lucía", "Malik",
    ];

    public static readonly string[] LastNames =
    [
        "Okafor", "Schmidt", "Rossi", "Novak", "García", "Kim", "Patel", "Nguyen", "Johansson", "Dubois", "Silva",
        "Kowalski", "Müller", "Haddad", "O'Brien", "Tanaka", "Fischer", "Moreau", "Costa", "Yilmaz", "Petrov",
        "Andersen", "Brennan", "Castillo", "Dias", "Eriksen", "Ferreira", "Gupta", "Hoffmann", "Ibrahim", "Jensen",
    ];

    public static readonly string[] Cities =
    [
        "Lisbon", "Toronto", "Austin", "Manchester", "Lyon", "Kraków", "Melbourne", "Denver", "Rotterdam", "Seattle",
        "Dublin", "Porto", "Zürich", "Calgary", "Leeds", "Bologna", "Gothenburg", "Auckland", "Boston", "Valencia",
    ];

    public static readonly string[] Teams =
    [
        "Platform", "Mobile", "Data Engineering", "Growth", "Support Operations", "Payments", "Search", "Infrastructure",
        "Design Systems", "Security", "Billing", "Identity", "Analytics", "Developer Experience", "Onboarding",
    ];

    public static readonly string[] Hosts =
    [
        "web-01", "web-02", "api-gw-1", "db-replica-2", "build-agent-3", "cache-01", "worker-07", "bastion",
        "ci-runner-4", "media-store", "queue-02", "staging-app", "metrics-01", "backup-nas", "edge-proxy-3",
    ];

    public static readonly string[] LinuxUsers =
    [
        "deploy", "alice", "backup", "jenkins", "www-data", "postgres", "svc-report", "carlos", "mira", "ops",
    ];

    public static readonly string[] Services =
    [
        "nginx", "postgresql", "redis-server", "docker", "gunicorn", "prometheus", "grafana-server", "cron",
        "ssh", "rabbitmq-server", "elasticsearch", "haproxy", "php8.2-fpm", "mosquitto", "node-exporter",
    ];

    public static string FullName(Text.DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return rng.Pick(FirstNames) + " " + rng.Pick(LastNames);
    }
}
