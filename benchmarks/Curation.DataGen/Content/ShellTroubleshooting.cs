using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Server problems described with concrete output, and the diagnosis a colleague would give.</summary>
internal static class ShellTroubleshooting
{
    public static readonly Func<DeterministicRandom, (string Area, string Question, string Answer)>[] All =
        [DiskFull, ServiceFails, CronNotRunning, SshPublicKey, HighLoad, GroupWrite];

    private static (string, string, string) DiskFull(DeterministicRandom rng)
    {
        var host = rng.Pick(Vocabulary.Hosts);
        var pct = rng.Between(91, 100);
        var size = rng.PickOne(20, 40, 50, 80, 100, 160);
        var used = size * pct / 100;
        var logGb = rng.Between(3, Math.Max(4, used / 2));
        var question = $"""
            {host} is almost out of disk space and the app started throwing write errors. Here's df:

            ```
            Filesystem      Size  Used Avail Use% Mounted on
            /dev/vda1        {size}G   {used}G  {Math.Max(0, size - used)}G  {pct}% /
            ```

            What's the fastest way to find what's eating the space?
            """;
        var answer = $"""
            Work down from the top with `du`, staying on the root filesystem:

            ```bash
            sudo du -xh --max-depth=1 / 2>/dev/null | sort -h | tail
            sudo du -xh --max-depth=1 /var 2>/dev/null | sort -h | tail
            ```

            On servers like {host} the usual suspects are:

            1. **The systemd journal**: `journalctl --disk-usage`, then `sudo journalctl --vacuum-size=500M`.
            2. **Application logs without rotation**: look in `/var/log` and your app's log directory. If a single log is around {logGb} GB, truncate it with `sudo truncate -s 0 file.log` rather than `rm`, so the running process keeps a valid file handle.
            3. **Docker**: `docker system df`, and `docker system prune` for stopped containers and dangling images (add `-a --volumes` only if you're sure).
            4. **Deleted but still open files**: `sudo lsof +L1`. The space only comes back when the process holding them restarts.

            Once you've freed some room, set up logrotate for the app logs and a disk usage alert at 80%, so you get warned before it reaches {pct}% again.
            """;
        return ("disk", question, answer);
    }

    private static (string, string, string) ServiceFails(DeterministicRandom rng)
    {
        var service = rng.Pick(Vocabulary.Services);
        var host = rng.Pick(Vocabulary.Hosts);
        var line = rng.Between(12, 240);
        var (log, diagnosis, fix) = rng.Next(3) switch
        {
            0 => ($"{service}[{rng.Between(900, 32000)}]: bind() to [::]:{rng.PickOne(80, 443, 6379, 8080, 9090)} failed (98: Address already in use)",
                  "another process is already listening on that port, often a second copy of the service or a different service that took the port after an upgrade",
                  "sudo ss -ltnp | grep LISTEN\nsudo systemctl stop <the other service>\nsudo systemctl start " + service),
            1 => ($"{service}[{rng.Between(900, 32000)}]: open() \"/etc/{service}/conf.d/site.conf\" failed (13: Permission denied)",
                  $"the service user can't read its own configuration file, typically after someone edited it as root with a restrictive umask",
                  $"ls -l /etc/{service}/conf.d/\nsudo chmod 644 /etc/{service}/conf.d/site.conf\nsudo systemctl restart {service}"),
            _ => ($"{service}[{rng.Between(900, 32000)}]: configuration error in /etc/{service}/{service}.conf:{line}: unknown directive",
                  $"the config file has a directive that the installed version doesn't understand, probably left over from the old version or a typo on line {line}",
                  $"sudo sed -n '{line - 2},{line + 2}p' /etc/{service}/{service}.conf\n# fix or remove the directive, then\nsudo systemctl restart {service}"),
        };
        var question = $"""
            After last night's upgrade {service} won't start on {host}. `journalctl -u {service}` ends with:

            ```
            {log}
            systemd[1]: {service}.service: Main process exited, code=exited, status=1/FAILURE
            systemd[1]: {service}.service: Failed with result 'exit-code'.
            ```

            Any idea?
            """;
        var answer = $"""
            The key line is the first one: {diagnosis}.

            To fix it:

            ```bash
            {fix}
            ```

            Then confirm with `systemctl status {service}` and watch the log for a minute with `journalctl -u {service} -f`. If the package upgrade shipped a new default config, compare yours with it (`/etc/{service}/*.dpkg-dist` or `*.rpmnew`) before the next upgrade, so it doesn't happen again.
            """;
        return ("services", question, answer);
    }

    private static (string, string, string) CronNotRunning(DeterministicRandom rng)
    {
        var script = rng.PickOne("backup.sh", "sync_reports.py", "cleanup.sh", "export_metrics.py", "rotate_keys.sh");
        var hour = rng.Between(0, 6);
        var user = rng.Pick(Vocabulary.LinuxUsers);
        var question = $"""
            I added this to {user}'s crontab but the job never runs. If I run the script by hand it works fine.

            ```
            0 {hour} * * * {script}
            ```
            """;
        var answer = $"""
            Cron probably does try to run it, but it fails straight away, for two typical reasons:

            1. **No path**: cron runs from `{user}`'s home directory with a minimal `PATH` (usually just `/usr/bin:/bin`), so `{script}` on its own isn't found. Use an absolute path.
            2. **No output anywhere**: errors go to local mail, which nobody reads, so the failure is invisible.

            Change the line to:

            ```
            0 {hour} * * * /home/{user}/bin/{script} >> /home/{user}/{script.Split('.')[0]}.log 2>&1
            ```

            Also check:
            - The script is executable (`chmod +x`) and starts with a shebang line.
            - Anything it needs from your interactive shell (virtualenv, environment variables) is set inside the script itself.
            - `grep CRON /var/log/syslog` (or `journalctl -u cron`) shows whether cron started it at {Fmt.Clock(hour * 60)}.
            """;
        return ("services", question, answer);
    }

    private static (string, string, string) SshPublicKey(DeterministicRandom rng)
    {
        var user = rng.Pick(Vocabulary.LinuxUsers);
        var host = rng.Pick(Vocabulary.Hosts);
        var question = $"`ssh {user}@{host}` says `Permission denied (publickey)`. I copied my public key into `~/.ssh/authorized_keys` on the server. What did I miss?";
        var answer = $"""
            Most of the time it's permissions: sshd ignores `authorized_keys` if the file or any directory above it can be written by someone other than the user. On {host}, as `{user}`:

            ```bash
            chmod 700 ~/.ssh
            chmod 600 ~/.ssh/authorized_keys
            chown -R {user}:{user} ~/.ssh
            chmod go-w ~
            ```

            If that doesn't help:
            - Make sure the key is on a single line in `authorized_keys` (copy-pasting sometimes splits it).
            - Connect with `ssh -v {user}@{host}` to see which keys your client offers.
            - Read the server side: `sudo journalctl -u ssh -n 20` usually states the exact reason, such as "bad ownership or modes".
            - Check `AllowUsers` or `AllowGroups` in `/etc/ssh/sshd_config`, which can block the user entirely.
            """;
        return ("users", question, answer);
    }

    private static (string, string, string) HighLoad(DeterministicRandom rng)
    {
        var host = rng.Pick(Vocabulary.Hosts);
        var cores = rng.PickOne(2, 4, 8, 16);
        var load = cores * rng.Between(3, 9);
        var question = $"""
            Monitoring says load average on {host} is {load}. It has {Fmt.Plural(cores, "core")}. `uptime`:

            ```
             {Fmt.Clock(rng.Between(0, 1439))}:{Fmt.I(rng.Between(10, 59))} up {rng.Between(3, 200)} days,  2 users,  load average: {load}.{rng.Between(10, 99)}, {load - 1}.{rng.Between(10, 99)}, {Math.Max(1, load - 3)}.{rng.Between(10, 99)}
            ```

            Is this bad and where do I start?
            """;
        var answer = $"""
            A load of {load} on {Fmt.Plural(cores, "core")} means roughly {load / cores} times more runnable (or waiting) tasks than cores, so yes, it's saturated. The three numbers are 1, 5 and 15-minute averages; all of them are high, so this isn't a short spike.

            Load counts tasks waiting for CPU *and* tasks blocked on disk I/O, so first find out which one it is:

            ```bash
            top                     # %Cpu(s) line: high 'us'/'sy' = CPU, high 'wa' = I/O wait
            vmstat 1 5              # 'r' = runnable, 'b' = blocked on I/O
            ```

            - CPU-bound: `ps aux --sort=-%cpu | head` shows the culprits.
            - I/O-bound: `sudo iotop -o` or `pidstat -d 1` shows which processes are reading or writing, and `iostat -x 1` shows whether a disk is at 100% utilisation.

            If it's a runaway process, restarting it buys time, but capture `top` output first so you can find the real cause afterwards.
            """;
        return ("processes", question, answer);
    }

    private static (string, string, string) GroupWrite(DeterministicRandom rng)
    {
        var user = rng.Pick(Vocabulary.LinuxUsers);
        var dir = rng.PickOne("/srv/shared/reports", "/var/www/uploads", "/opt/data/incoming", "/srv/media", "/data/exports");
        var group = rng.PickOne("reports", "web", "data", "media", "analytics");
        var question = $"I need `{user}` to be able to write to `{dir}`, which belongs to the `{group}` group. I ran `usermod -aG {group} {user}` but still get Permission denied.";
        var answer = $"""
            Two things to check.

            **1. The new group only applies to new logins.** Existing sessions (and services that are already running) keep the old group list. Check with:

            ```bash
            id {user}          # does it list {group}?
            ```

            Log out and back in, or use `newgrp {group}` in the current shell. For a service, restart it.

            **2. The directory must be group-writable:**

            ```bash
            ls -ld {dir}
            sudo chmod g+w {dir}
            sudo chmod g+s {dir}      # new files inherit the {group} group
            ```

            The setgid bit (`g+s`) on the directory makes files created inside it belong to `{group}` rather than to the creator's primary group, so other members can edit them too. If files still end up unwritable for others, the users' umask is probably 022. Set it to 002 for that service or user.
            """;
        return ("permissions", question, answer);
    }
}
