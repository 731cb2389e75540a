namespace Curation.DataGen.Content;

/// <summary>Hand-written Linux and shell answers, checked against the man pages of GNU coreutils, util-linux and systemd.</summary>
internal static class ShellFacts
{
    public static readonly ShellFact[] All =
    [
        new("files", ["What does `cp -r` do?", "How do I copy a whole directory on Linux?"],
            """
            `cp -r` (or `-R`) copies directories recursively: the directory, everything inside it, and all subdirectories.

            ```bash
            cp -r project/ /backup/project-copy
            ```

            Useful additions:
            - `-a` (archive) implies `-r` and also preserves permissions, ownership and timestamps. It's usually what you want for backups.
            - `-i` asks before overwriting existing files.
            - `-v` prints each file as it's copied.

            For large trees or copies to another machine, `rsync -a` is faster on repeat runs because it only copies what changed.
            """),
        new("files", ["How do I find files larger than 1 GB?", "What's the command to list big files on a server?"],
            """
            Use `find` with `-size`:

            ```bash
            find / -xdev -type f -size +1G -exec ls -lh {} + 2>/dev/null
            ```

            - `-xdev` stays on one filesystem, so it doesn't wander into `/proc` or network mounts.
            - `-size +1G` means strictly larger than 1 GiB; use `+500M` for 500 MiB.
            - `2>/dev/null` hides "Permission denied" noise; run with `sudo` to see everything.

            To sort by size, pipe through `sort`: `find / -xdev -type f -size +1G -printf '%s %p\n' | sort -nr | head`.
            """),
        new("files", ["How do I delete files older than 30 days?", "Clean up old log files automatically?"],
            """
            `find` can select by modification time and delete in one go:

            ```bash
            # list first, to check what would be removed
            find /var/log/myapp -type f -name '*.log' -mtime +30 -print

            # then delete
            find /var/log/myapp -type f -name '*.log' -mtime +30 -delete
            ```

            `-mtime +30` matches files last modified more than 30 full days ago. Always run the `-print` version first; a wrong path with `-delete` is hard to undo.

            For log files specifically, `logrotate` is the better long-term tool: it rotates, compresses and removes old logs on a schedule.
            """),
        new("files", ["What's the difference between a hard link and a symbolic link?", "When should I use `ln -s`?"],
            """
            A hard link is a second name for the same inode (the same data on disk). A symbolic link is a small file that contains a path to another file.

            ```bash
            ln target.txt hardlink.txt      # hard link
            ln -s /opt/app/current app      # symbolic link
            ```

            Differences that matter:
            - Deleting the original breaks a symlink, but not a hard link: the data stays until the last hard link is gone.
            - Symlinks can point to directories and across filesystems; hard links can't.
            - `ls -l` shows where a symlink points; hard links look like ordinary files (the link count in the second column goes up).

            Use symlinks for things like `current -> releases/2024-05-01`, so you can switch versions by repointing the link.
            """),
        new("files", ["How do I create a tar.gz archive of a folder?", "How do I extract a .tar.gz file?"],
            """
            Create:

            ```bash
            tar -czf site-backup.tar.gz /var/www/site
            ```

            Extract:

            ```bash
            tar -xzf site-backup.tar.gz            # into the current directory
            tar -xzf site-backup.tar.gz -C /tmp    # into /tmp
            ```

            The letters: `c` create, `x` extract, `z` gzip, `f` the archive file name follows. `t` lists the contents without extracting (`tar -tzf site-backup.tar.gz`). GNU tar also detects the compression when extracting, so `tar -xf` works for `.tar.gz`, `.tar.xz` and `.tar.zst` alike.
            """),
        new("files", ["How can I see which files changed in the last hour?", "Find recently modified files in a directory tree"],
            """
            ```bash
            find /etc -type f -mmin -60
            ```

            `-mmin -60` matches files modified less than 60 minutes ago (`-mtime` works the same way in days). To see them newest first with timestamps:

            ```bash
            find /etc -type f -mmin -60 -printf '%TY-%Tm-%Td %TH:%TM  %p\n' | sort -r
            ```

            This is handy after a package upgrade or when you suspect someone edited a config file.
            """),
        new("permissions", ["What does `chmod 755` mean?", "Explain Linux file permission numbers like 644 and 755."],
            """
            Each digit is a set of permissions for, in order, the owner, the group and everyone else. The digit is the sum of read (4), write (2) and execute (1):

            | Mode | Owner | Group | Others | Typical use |
            |------|-------|-------|--------|-------------|
            | 755 | rwx | r-x | r-x | scripts, directories |
            | 644 | rw- | r-- | r-- | regular files |
            | 600 | rw- | --- | --- | private keys, secrets |
            | 700 | rwx | --- | --- | private directories |

            ```bash
            chmod 755 deploy.sh
            chmod u+x deploy.sh     # same idea, symbolic form: add execute for the owner
            ```

            On a directory, "execute" means permission to enter it and reach the files inside.
            """),
        new("permissions", ["How do I change the owner of a directory and everything in it?", "What does `chown -R` do?"],
            """
            ```bash
            sudo chown -R www-data:www-data /var/www/site
            ```

            `-R` applies the change recursively. The `user:group` form sets both at once; use `user:` to set the group to the user's login group, or `:group` to change only the group.

            Be careful with `-R` on paths containing symlinks: by default `chown -R` changes the link itself, not its target, but a typo like `/ var/www` can still change ownership of the whole system. Double-check the path before pressing Enter.
            """),
        new("permissions", ["Why do I get 'Permission denied' when running my script?", "bash: ./run.sh: Permission denied - how to fix?"],
            """
            The file isn't marked as executable, or the filesystem is mounted with `noexec`.

            ```bash
            ls -l run.sh          # look for an x in the permissions, e.g. -rwxr-xr-x
            chmod +x run.sh
            ./run.sh
            ```

            If it still fails, check the mount options with `findmnt -T run.sh`; `/tmp` is often mounted `noexec`. You can always run it through the interpreter instead: `bash run.sh`.

            Also make sure the first line is a valid shebang such as `#!/usr/bin/env bash`, and that the file doesn't have Windows line endings (a `\r` at the end of the shebang makes the kernel look for an interpreter called `bash\r`).
            """),
        new("permissions", ["What is umask?", "Why are my new files created with 644 permissions?"],
            """
            `umask` is a mask of permission bits that are removed from newly created files and directories. Programs usually ask for 666 (files) or 777 (directories), and the umask takes bits away:

            ```bash
            umask        # e.g. 0022
            ```

            - umask 022: files 644, directories 755 (the common default)
            - umask 027: files 640, directories 750 (no access for others)
            - umask 077: files 600, directories 700 (private)

            Set it in `~/.profile` for your login shells, or with `UMask=` in a systemd unit for a service.
            """),
        new("processes", ["How do I see what's using all the CPU?", "Which process is slowing down my server?"],
            """
            Start with `top` (or `htop` if installed) and sort by CPU, which is the default in `top`:

            ```bash
            top -o %CPU
            ```

            For a one-off snapshot you can paste into a ticket:

            ```bash
            ps aux --sort=-%cpu | head -n 10
            ```

            If the load average is high but CPU use is low, processes are probably waiting on disk. Check the `wa` (I/O wait) value in `top`, and use `iotop` or `pidstat -d 1` to find which process is doing the I/O.
            """),
        new("processes", ["What's the difference between `kill` and `kill -9`?", "How do I stop a process that won't quit?"],
            """
            `kill PID` sends SIGTERM, which asks the process to shut down: it can close files, finish requests and clean up. `kill -9 PID` sends SIGKILL, which the kernel enforces immediately. The process gets no chance to clean up.

            ```bash
            kill 4312          # polite
            sleep 5
            kill -9 4312       # only if it's still running
            ```

            Prefer SIGTERM first. SIGKILL can leave lock files, half-written data or orphaned child processes behind. If even `kill -9` doesn't work, the process is stuck in uninterruptible sleep (state `D` in `ps`), usually waiting on a hung disk or NFS mount.
            """),
        new("processes", ["How do I keep a command running after I log out of SSH?", "What does nohup do?"],
            """
            Options, from quickest to most robust:

            ```bash
            nohup ./long-job.sh > job.log 2>&1 &      # ignores the hangup signal
            ```

            ```bash
            tmux new -s work        # run the job inside tmux, detach with Ctrl-b d
            tmux attach -t work     # reattach later
            ```

            ```bash
            systemd-run --user --unit=long-job ./long-job.sh   # a transient systemd unit
            ```

            `nohup` is fine for one-off jobs. `tmux` or `screen` let you come back to an interactive session. For anything that should survive reboots or restart on failure, write a proper systemd service.
            """),
        new("processes", ["How do I find which process is listening on port 8080?", "Port already in use - how do I see what's using it?"],
            """
            ```bash
            sudo ss -ltnp 'sport = :8080'
            ```

            - `-l` listening sockets, `-t` TCP, `-n` numeric ports, `-p` show the owning process (needs root for other users' processes).

            Alternatives: `sudo lsof -i :8080`, or `sudo fuser 8080/tcp`, which prints just the PID.

            Once you have the PID, `ps -fp PID` shows the full command line, and `systemctl status PID` tells you whether it belongs to a systemd service.
            """),
        new("disk", ["How do I check disk space on Linux?", "What's the difference between `df` and `du`?"],
            """
            `df` reports free space per filesystem; `du` adds up the sizes of files and directories.

            ```bash
            df -h                       # free space on every mounted filesystem
            du -sh /var/log             # total size of one directory
            du -h --max-depth=1 /var | sort -h    # which subdirectory is biggest
            ```

            If `df` says the disk is full but `du` can't find the space, a process is probably holding a deleted file open (a log that was removed while the service kept writing). `sudo lsof +L1` lists such files; restarting the process frees the space.
            """),
        new("disk", ["My disk is full but I can't find big files. What else uses space?", "df shows 100% but du shows much less"],
            """
            Common culprits when `du` and `df` disagree:

            1. Deleted files still held open by a process:
               ```bash
               sudo lsof +L1
               ```
               Restart (or reload) the process that holds them.
            2. Running out of inodes rather than bytes: `df -i`. Millions of tiny files (cache or session directories) can exhaust inodes.
            3. Files hidden under a mount point: data written to `/data` before a disk was mounted there is invisible while it's mounted.
            4. Reserved blocks: ext4 reserves 5% for root by default (`tune2fs -l /dev/sdX | grep Reserved`).

            Also check the container runtime and the journal: `docker system df` and `journalctl --disk-usage`.
            """),
        new("disk", ["How do I see all disks and partitions?", "What does lsblk show?"],
            """
            ```bash
            lsblk -f
            ```

            `lsblk` lists block devices as a tree: disks, their partitions, LVM volumes and where each is mounted. `-f` adds the filesystem type, label and UUID.

            Related commands:
            - `sudo fdisk -l` shows partition tables in detail.
            - `findmnt` shows the mount tree with options.
            - `blkid` prints UUIDs, which is what you should use in `/etc/fstab` instead of `/dev/sdb1`, because device names can change between boots.
            """),
        new("disk", ["How do I mount a disk permanently with /etc/fstab?", "Add a new disk so it mounts at boot"],
            """
            1. Find the filesystem's UUID:
               ```bash
               sudo blkid /dev/sdb1
               ```
            2. Create the mount point and add a line to `/etc/fstab`:
               ```
               UUID=3f6c2a8e-1d4b-4c9e-9a57-0b2e6d1f7c44  /data  ext4  defaults,noatime  0  2
               ```
            3. Test without rebooting:
               ```bash
               sudo mkdir -p /data
               sudo mount -a
               findmnt /data
               ```

            `mount -a` mounts everything in fstab and reports errors now rather than at the next boot. For disks that might be missing, add `nofail` so a failed mount doesn't stop the system from booting.
            """),
        new("services", ["How do I check why a systemd service failed?", "My service won't start - where are the logs?"],
            """
            ```bash
            systemctl status myapp.service
            journalctl -u myapp.service -n 50 --no-pager
            ```

            `status` shows the state, the main PID, the exit code and the last few log lines. `journalctl -u` shows the service's full log; `-n 50` the last 50 lines, `-f` to follow live, `-b` only since the current boot.

            Common causes: a wrong path in `ExecStart=` (it must be absolute), missing environment variables, the service user lacking permissions, or a port already in use. After editing a unit file, run `sudo systemctl daemon-reload` before restarting.
            """),
        new("services", ["How do I write a systemd service for my app?", "Run a Python app as a service that restarts on failure"],
            """
            Create `/etc/systemd/system/myapp.service`:

            ```ini
            [Unit]
            Description=My web app
            After=network-online.target
            Wants=network-online.target

            [Service]
            User=myapp
            WorkingDirectory=/opt/myapp
            ExecStart=/opt/myapp/.venv/bin/python -m myapp
            Restart=on-failure
            RestartSec=5
            Environment=PYTHONUNBUFFERED=1

            [Install]
            WantedBy=multi-user.target
            ```

            Then:

            ```bash
            sudo systemctl daemon-reload
            sudo systemctl enable --now myapp
            ```

            `enable --now` starts it immediately and at every boot. Run it as a dedicated user rather than root.
            """),
        new("services", ["What's the difference between `systemctl restart` and `reload`?", "Restart nginx without dropping connections"],
            """
            `restart` stops the service and starts it again: open connections are dropped. `reload` asks the running process to re-read its configuration (usually by sending SIGHUP), and most servers do that without dropping connections.

            ```bash
            sudo nginx -t && sudo systemctl reload nginx
            ```

            Always test the configuration first (`nginx -t`, `apachectl configtest`, `sshd -t`): a reload with a broken config can leave the service running the old config, while a restart with a broken config leaves it down. Not every service supports reload; `systemctl reload-or-restart` picks whichever is available.
            """),
        new("services", ["How do I schedule a script to run every night?", "Crontab syntax for running a job at 2 AM"],
            """
            Edit your crontab with `crontab -e` and add:

            ```
            # m  h  dom mon dow  command
            0  2  *   *   *    /opt/scripts/backup.sh >> /var/log/backup.log 2>&1
            ```

            The five fields are minute, hour, day of month, month and day of week. `*/15 * * * *` means every 15 minutes, and `0 9 * * 1-5` is 9:00 on weekdays.

            Cron runs with a minimal environment: use absolute paths, set `PATH` at the top of the crontab if needed, and redirect output to a log, otherwise errors go to local mail that nobody reads. systemd timers are an alternative with better logging (`systemctl list-timers`).
            """),
        new("services", ["How do I see logs from the last hour with journalctl?", "Filter journalctl by time and priority"],
            """
            ```bash
            journalctl --since "1 hour ago"
            journalctl -u nginx --since "2024-05-01 09:00" --until "2024-05-01 10:00"
            journalctl -p err -b          # errors and worse since the last boot
            ```

            - `-p` filters by priority (`emerg`, `alert`, `crit`, `err`, `warning`, `notice`, `info`, `debug`).
            - `-o short-iso` prints ISO timestamps, handy when comparing with other logs.
            - `--disk-usage` and `--vacuum-time=14d` show and limit how much space the journal uses.
            """),
        new("users", ["How do I add a new user and give them sudo access?", "Create a Linux user with sudo rights"],
            """
            On Debian and Ubuntu:

            ```bash
            sudo adduser maria
            sudo usermod -aG sudo maria
            ```

            On RHEL, Fedora and similar the admin group is `wheel`: `sudo usermod -aG wheel maria`.

            The `-a` in `usermod -aG` matters: without it, the user is removed from every group not listed. The new group membership applies at the user's next login; `id maria` shows their groups.
            """),
        new("users", ["How do I set up SSH key login?", "Log in to a server without a password using SSH keys"],
            """
            1. Create a key pair on your own machine (if you don't have one):
               ```bash
               ssh-keygen -t ed25519 -C "laptop"
               ```
            2. Copy the public key to the server:
               ```bash
               ssh-copy-id deploy@web-01
               ```
            3. Test: `ssh deploy@web-01` should log in without asking for the account password (it may ask for the key's passphrase).

            Once keys work for everyone who needs access, disable password logins in `/etc/ssh/sshd_config` with `PasswordAuthentication no`, then `sudo systemctl reload ssh`. Keep an existing session open while you test, so a mistake doesn't lock you out.
            """),
        new("users", ["How do I safely edit the sudoers file?", "What is visudo for?"],
            """
            Always use `visudo`:

            ```bash
            sudo visudo                                  # main file
            sudo visudo -f /etc/sudoers.d/deploy         # a drop-in file
            ```

            `visudo` locks the file and checks the syntax before saving. A syntax error in sudoers can stop `sudo` from working at all, which is painful on a server without a root password.

            Prefer drop-in files in `/etc/sudoers.d/` over editing the main file, for example to let the deploy user restart one service without a password:

            ```
            deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart myapp
            ```
            """),
        new("users", ["How can I see who is logged in and what they're doing?", "Show recent logins on a Linux server"],
            """
            ```bash
            w          # who is logged in, from where, idle time, current command
            last -n 20 # the last 20 logins, including reboots
            lastb      # failed login attempts (needs root)
            ```

            On systemd systems, `loginctl list-sessions` shows active sessions, and `journalctl -u ssh` (or `-u sshd`) shows SSH authentication events with details.
            """),
        new("packages", ["What's the difference between `apt update` and `apt upgrade`?", "How do I update packages on Ubuntu?"],
            """
            `apt update` downloads the latest package lists from the repositories; it doesn't install anything. `apt upgrade` installs newer versions of the packages you already have.

            ```bash
            sudo apt update
            apt list --upgradable
            sudo apt upgrade
            ```

            `apt full-upgrade` also removes or installs packages when that's needed to complete an upgrade (for example a new kernel's dependencies). On servers, `unattended-upgrades` can install security updates automatically.
            """),
        new("packages", ["How do I find which package a file belongs to?", "Which package installed /usr/bin/convert?"],
            """
            For an installed file:

            ```bash
            dpkg -S /usr/bin/convert          # Debian, Ubuntu
            rpm -qf /usr/bin/convert          # RHEL, Fedora
            ```

            For a file that isn't installed yet, search the repositories:

            ```bash
            sudo apt install apt-file && sudo apt-file update
            apt-file search bin/convert
            dnf provides '*/bin/convert'      # Fedora, RHEL
            ```
            """),
        new("packages", ["How do I stop a package from being upgraded?", "Pin a package version with apt"],
            """
            ```bash
            sudo apt-mark hold postgresql-16
            apt-mark showhold
            sudo apt-mark unhold postgresql-16
            ```

            A held package stays at its current version during `apt upgrade`. Remember to unhold it later; held packages don't get security fixes either.

            For finer control (for example, preferring one repository's version), use an apt preferences file in `/etc/apt/preferences.d/` with `Pin:` and `Pin-Priority:` entries.
            """),
        new("network", ["How do I check if a remote port is open?", "Test whether I can reach port 5432 on another server"],
            """
            ```bash
            nc -zv db-replica-2 5432
            ```

            `-z` just checks the connection without sending data, and `-v` prints the result. Without netcat, bash can do it too:

            ```bash
            timeout 3 bash -c '</dev/tcp/db-replica-2/5432' && echo open || echo closed
            ```

            If the connection times out rather than being refused, a firewall is probably dropping the packets. "Connection refused" usually means the host is reachable but nothing listens on that port.
            """),
        new("network", ["How do I see the HTTP headers of a URL with curl?", "Check the response code of a website from the command line"],
            """
            ```bash
            curl -I https://example.com            # HEAD request, headers only
            curl -sS -o /dev/null -w '%{http_code}\n' https://example.com
            ```

            - `-I` sends a HEAD request; some servers answer HEAD differently from GET, so use `curl -sS -D - -o /dev/null URL` to see the headers of a real GET.
            - `-L` follows redirects, and `-v` shows the whole exchange including the TLS handshake.
            - `-w` can print timings too: `-w 'dns %{time_namelookup} total %{time_total}\n'`.
            """),
        new("network", ["How do I allow only SSH and HTTPS with ufw?", "Basic firewall setup on Ubuntu"],
            """
            ```bash
            sudo ufw default deny incoming
            sudo ufw default allow outgoing
            sudo ufw allow OpenSSH
            sudo ufw allow 443/tcp
            sudo ufw enable
            sudo ufw status verbose
            ```

            Allow SSH before running `ufw enable`, otherwise you can cut off your own session on a remote server. `ufw limit OpenSSH` adds basic rate limiting against password-guessing bots.
            """),
        new("network", ["How do I check DNS resolution for a domain?", "dig vs nslookup"],
            """
            ```bash
            dig example.com +short
            dig example.com MX
            dig @dns.google example.com     # ask a specific resolver
            ```

            `dig` is the more precise tool: it shows TTLs, which server answered, and whether the answer was authoritative. `nslookup` is older but available on Windows too.

            To see what the system resolver (including `/etc/hosts`) returns, use `getent hosts example.com`; that's what most programs actually use.
            """),
        new("network", ["How do I copy files between servers?", "scp vs rsync"],
            """
            ```bash
            scp backup.tar.gz deploy@web-02:/srv/backups/
            rsync -avz --progress /srv/media/ deploy@web-02:/srv/media/
            ```

            `scp` is fine for a single file. `rsync` is better for directories and repeated copies: it only transfers what changed, can resume, and `--delete` makes the destination an exact mirror.

            Watch the trailing slash with rsync: `src/` copies the contents of `src`, while `src` creates a `src` directory inside the destination.
            """),
        new("text", ["How do I search for a string in all files in a directory?", "grep recursively for a word"],
            """
            ```bash
            grep -rn "connection refused" /var/log/myapp/
            ```

            - `-r` recursive, `-n` line numbers, `-i` ignore case, `-l` only file names, `-w` whole words only.
            - `--include='*.py'` limits the search to certain files, and `--exclude-dir=node_modules` skips a directory.

            `ripgrep` (`rg`) is a faster alternative that respects `.gitignore` by default.
            """),
        new("text", ["How do I replace text in a file with sed?", "sed in-place search and replace"],
            """
            ```bash
            sed -i 's/old-host/new-host/g' config.ini
            sed -i.bak 's/old-host/new-host/g' config.ini    # keep a backup as config.ini.bak
            ```

            `s/pattern/replacement/g` replaces every match on each line (without `g`, only the first). If the text contains slashes, use another delimiter: `sed -i 's|/var/www|/srv/www|g' site.conf`.

            Preview first by leaving out `-i`, so the result goes to the terminal instead of the file.
            """),
        new("text", ["How do I count unique lines in a log?", "Top 10 most common IP addresses or values in a log file"],
            """
            The classic pipeline is `sort | uniq -c | sort -nr`:

            ```bash
            awk '{print $1}' access.log | sort | uniq -c | sort -nr | head -n 10
            ```

            - `awk '{print $1}'` takes the first field (the client address in common log formats).
            - `uniq -c` counts adjacent duplicates, which is why the input must be sorted first.
            - `sort -nr` orders by count, highest first.

            For just the number of distinct values: `awk '{print $1}' access.log | sort -u | wc -l`.
            """),
        new("text", ["How do I follow a log file in real time?", "tail -f vs less +F"],
            """
            ```bash
            tail -f /var/log/nginx/error.log
            tail -F /var/log/nginx/error.log      # keeps following across log rotation
            ```

            `-F` is usually what you want for logs, because it reopens the file when logrotate replaces it.

            `less +F file` follows too, but you can press Ctrl-C to stop following and scroll or search, then `F` to resume. To filter while following: `tail -F app.log | grep --line-buffered ERROR`.
            """),
        new("text", ["How do I print a specific column from command output?", "awk example to get the second column"],
            """
            ```bash
            df -h | awk 'NR > 1 {print $5, $6}'
            ```

            `awk` splits each line on whitespace into `$1`, `$2`, and so on. `NR > 1` skips the header line. For other separators, use `-F`:

            ```bash
            awk -F: '{print $1}' /etc/passwd          # user names
            cut -d, -f2 data.csv                      # simple CSV without quoted commas
            ```
            """),
        new("text", ["What does `xargs` do?", "Run a command on every file that find returns"],
            """
            `xargs` turns lines of input into arguments for another command:

            ```bash
            find . -name '*.tmp' -print0 | xargs -0 rm -f
            ```

            `-print0` and `-0` separate names with a NUL byte, so file names with spaces or newlines are handled correctly. `-P 4` runs up to four commands in parallel, and `-n 100` passes at most 100 arguments per command.

            For many simple cases, `find ... -exec cmd {} +` does the same without a pipe.
            """),
        new("shell", ["How do I add a directory to my PATH permanently?", "Where should I set environment variables in bash?"],
            """
            Add a line to `~/.bashrc` (interactive shells) or `~/.profile` (login shells):

            ```bash
            export PATH="$HOME/.local/bin:$PATH"
            ```

            Then run `source ~/.bashrc`, or open a new terminal. Putting the new directory first means its programs take priority over system ones; put it at the end if you want the opposite.

            System-wide settings go in `/etc/environment` (simple `KEY=value` lines, no `export`) or a script in `/etc/profile.d/`. Services started by systemd don't read any of these; set `Environment=` in the unit instead.
            """),
        new("shell", ["What's the difference between `>` and `>>` in bash?", "How do I redirect both stdout and stderr to a file?"],
            """
            `>` overwrites the file, while `>>` appends to it.

            ```bash
            ./job.sh > out.log 2>&1      # stdout and stderr to out.log (overwrite)
            ./job.sh >> out.log 2>&1     # append
            ./job.sh &> out.log          # bash shorthand for the first line
            ./job.sh 2> errors.log       # only stderr
            ```

            The order matters: `2>&1 > file` sends stderr to the terminal, because it duplicates stderr before stdout is redirected. `set -o noclobber` makes `>` refuse to overwrite existing files.
            """),
        new("shell", ["How do I make a bash script stop on the first error?", "What does `set -euo pipefail` do?"],
            """
            Put this near the top of the script:

            ```bash
            #!/usr/bin/env bash
            set -euo pipefail
            ```

            - `-e`: exit as soon as a command fails.
            - `-u`: treat unset variables as errors, which catches typos like `$DEPLOY_DRI`.
            - `-o pipefail`: a pipeline fails if any command in it fails, not just the last one.

            `set -e` has exceptions: failures inside `if` conditions, or before `&&` or `||`, don't stop the script. Add `trap 'echo "failed at line $LINENO"' ERR` to see where a script stopped.
            """),
        new("shell", ["How do I create an alias in bash?", "Make a shortcut for a long command"],
            """
            ```bash
            alias ll='ls -alF'
            alias k='kubectl'
            ```

            Add them to `~/.bashrc` to keep them across sessions. For anything that takes arguments in the middle or needs logic, use a function instead:

            ```bash
            mkcd() { mkdir -p "$1" && cd "$1"; }
            ```

            `type ll` shows what a name resolves to, and `\ll` (a leading backslash) runs the original command, bypassing the alias.
            """),
        new("system", ["How do I check the Linux kernel version and distribution?", "What OS version is this server running?"],
            """
            ```bash
            uname -r                 # kernel version
            cat /etc/os-release      # distribution name and version
            hostnamectl              # both, plus the hardware and virtualisation type
            ```

            `/etc/os-release` is present on every modern distribution and is easy to parse in scripts: `. /etc/os-release; echo "$ID $VERSION_ID"`.
            """),
        new("system", ["How do I check memory usage on Linux?", "Is my server running out of RAM?"],
            """
            ```bash
            free -h
            ```

            Look at the `available` column, not `free`: Linux uses spare memory as a file cache, so `free` is often low on a healthy system. `available` estimates how much can be given to programs without swapping.

            To see which processes use the most memory: `ps aux --sort=-rss | head`. If the kernel has killed processes for lack of memory, `journalctl -k | grep -i "out of memory"` shows it.
            """),
        new("system", ["How do I add swap space on Linux?", "Create a swap file"],
            """
            ```bash
            sudo fallocate -l 2G /swapfile
            sudo chmod 600 /swapfile
            sudo mkswap /swapfile
            sudo swapon /swapfile
            echo '/swapfile none swap sw 0 0' | sudo tee -a /etc/fstab
            ```

            Check with `swapon --show`. The `chmod 600` matters: a swap file readable by other users could leak memory contents. On some filesystems (older btrfs, for example) `fallocate` doesn't work for swap; use `dd if=/dev/zero of=/swapfile bs=1M count=2048` instead.
            """),
        new("system", ["How do I change the timezone on a Linux server?", "Set the server clock to UTC"],
            """
            ```bash
            timedatectl                           # current time, timezone and NTP status
            sudo timedatectl set-timezone UTC
            timedatectl list-timezones | grep Europe
            ```

            Servers are usually best kept on UTC: logs from different machines line up and there are no daylight-saving jumps. Make sure NTP synchronisation is on (`System clock synchronized: yes`), otherwise clocks drift and TLS or Kerberos can start failing.
            """),
    ];
}
