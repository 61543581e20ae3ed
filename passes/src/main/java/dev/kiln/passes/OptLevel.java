package dev.kiln.passes;

/** Optimization levels, as {@code -O0} to {@code -O3} take them. */
public enum OptLevel {
    /** Import only. */
    O0,
    /** Cleanup and folding. */
    O1,
    /** The default: plus fusion and memory planning. */
    O2,
    /** Plus layout transformation and more aggressive rewrites. */
    O3;

    public static OptLevel parse(String text) {
        String t = text.startsWith("-") ? text.substring(1) : text;
        for (OptLevel l : values()) {
            if (l.name().equalsIgnoreCase(t) || l.name().substring(1).equals(t)) return l;
        }
        throw new IllegalArgumentException("unknown optimization level '" + text + "' (use -O0, -O1, -O2 or -O3)");
    }
}
