package dev.kiln.backend.cpu.codegen;

import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.CompiledKernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns generated kernel sources into classes: from this model's cache (by a hash of the source, so a kernel shared
 * by many nodes is defined once), from the class files javac made for another model ({@link CompiledKernelCache}:
 * each model has its own copy of the backend's classes, see {@code ModelClassLoader}), from precompiled class files (a saved artifact's, found by source hash), or
 * else by compiling all the missing sources in one javac run ({@link JavacKernels}, the only class that needs the
 * {@code java.compiler} module). With a dump directory, every source is written there as {@code <ClassName>.java}.
 */
public final class KernelCompiler {
    /** The package every generated kernel is in. */
    public static final String PACKAGE = "dev.kiln.backend.cpu.generated";

    /** A kernel's class and what it was compiled from. */
    private record Loaded(Class<?> kernelClass, CompiledKernel kernel) { }

    /** What {@link #link} returns: the classes by kernel name, and the kernels with their class files (for saving). */
    public record Linked(Map<String, Class<?>> classes, List<CompiledKernel> kernels) { }

    private static final Map<String, Loaded> CACHE = new ConcurrentHashMap<>();

    private KernelCompiler() {}

    /** The class name for a source body: {@code prefix} plus the first 16 hex digits of its SHA-256. */
    public static String className(String prefix, String sourceTemplate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sourceTemplate.getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The classes for {@code sources} (simple class name → full source), compiling those not cached yet. */
    public static Map<String, Class<?>> compile(Map<String, String> sources, Path dumpDir) {
        return link(sources, dumpDir, Map.of()).classes();
    }

    /**
     * The classes for {@code sources} (simple class name → full source): cached ones, those in {@code precompiled}
     * (by {@link CompiledKernel#sourceHash()}), and the rest compiled now.
     */
    public static Linked link(Map<String, String> sources, Path dumpDir, Map<String, CompiledKernel> precompiled) {
        if (dumpDir != null) dump(sources, dumpDir);
        Map<String, String> missing = new LinkedHashMap<>();
        sources.forEach((name, source) -> {
            if (CACHE.containsKey(name)) return;
            CompiledKernel compiledBefore = CompiledKernelCache.get(name);
            if (compiledBefore != null && compiledBefore.source().equals(source)) {
                CACHE.putIfAbsent(name, define(compiledBefore));
                return;
            }
            CompiledKernel given = precompiled.get(CompiledKernel.sourceHash(source));
            if (given != null && given.name().equals(name)) CACHE.putIfAbsent(name, define(given));
            else missing.put(name, source);
        });
        if (!missing.isEmpty()) {
            if (ModuleLayer.boot().findModule("java.compiler").isEmpty()) {
                throw new KilnException("generated kernel " + missing.keySet().iterator().next() + " is not precompiled and this Java has no "
                        + "compiler (module java.compiler): run on a JDK, or use an artifact compiled by this version of Kiln");
            }
            JavacKernels.compile(missing).forEach((name, kernel) -> {
                CompiledKernelCache.put(kernel);
                CACHE.putIfAbsent(name, define(kernel));
            });
        }
        Map<String, Class<?>> classes = new HashMap<>();
        List<CompiledKernel> kernels = new ArrayList<>();
        for (String name : sources.keySet()) {
            Loaded loaded = CACHE.get(name);
            classes.put(name, loaded.kernelClass());
            kernels.add(loaded.kernel());
        }
        return new Linked(classes, kernels);
    }

    private static Loaded define(CompiledKernel kernel) {
        KernelClassLoader loader = new KernelClassLoader(KernelCompiler.class.getClassLoader(), kernel.classFiles());
        try {
            return new Loaded(loader.loadClass(PACKAGE + "." + kernel.name()), kernel);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new KilnException("generated kernel " + kernel.name() + ": its class files do not define it: " + e, e);
        }
    }

    private static void dump(Map<String, String> sources, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : sources.entrySet()) Files.writeString(dir.resolve(e.getKey() + ".java"), e.getValue());
        } catch (IOException e) {
            throw new KilnException(dir + ": cannot write generated kernels: " + e.getMessage(), e);
        }
    }

    /** Defines one kernel's classes from their class files. */
    private static final class KernelClassLoader extends ClassLoader {
        private final Map<String, byte[]> classFiles;

        KernelClassLoader(ClassLoader parent, Map<String, byte[]> classFiles) {
            super(parent);
            this.classFiles = classFiles;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classFiles.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }
}
