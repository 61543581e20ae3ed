package dev.kiln.cli;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Safe, distinct file names for output values, whose names may hold any characters ("logits:0", "a/b", ".."). */
final class OutputFileNames {
    private final Set<String> used = new HashSet<>();

    /** {@code name} with everything but letters, digits, '.', '_' and '-' replaced, made unique, plus {@code suffix}. */
    String fileName(String name, String suffix) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        if (safe.isEmpty()) safe = "output";
        if (safe.length() > 120) safe = safe.substring(0, 120);
        String candidate = safe;
        for (int n = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); n++) candidate = safe + "_" + n;
        return candidate + suffix;
    }
}
