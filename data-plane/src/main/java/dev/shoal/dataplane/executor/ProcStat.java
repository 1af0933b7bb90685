package dev.shoal.dataplane.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few fields of {@code /proc/<pid>/stat} that {@link ProcessHandle} does not give: the run state
 * (to tell a zombie from a live process), the process group and the session.
 */
record ProcStat(long pid, char state, long processGroup, long session) {

    /** The process's stat, or null when it is gone. */
    static ProcStat read(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | SecurityException e) {
            return null;
        }
        // "pid (comm) state ppid pgrp session ..." where comm may hold spaces and parentheses
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            return null;
        }
        String[] f = line.substring(close + 2).split(" ");
        if (f.length < 4) {
            return null;
        }
        try {
            return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Gone or a zombie: it will not run again. */
    boolean isDead() {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
