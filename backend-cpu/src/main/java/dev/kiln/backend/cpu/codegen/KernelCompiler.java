package dev.kiln.backend.cpu.codegen;

import dev.kiln.runtime.KilnException;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
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
 * Compiles generated kernel sources in-process with {@code javax.tools}, all of a model's sources in one javac run,
 * and caches the classes by a hash of their source, so a kernel shared by many nodes or models compiles once.
 * With a dump directory, every source is written there as {@code <ClassName>.java}.
 */
public final class KernelCompiler {
    /** The package every generated kernel is in. */
    public static final String PACKAGE = "dev.kiln.backend.cpu.generated";

    private static final Map<String, Class<?>> CACHE = new ConcurrentHashMap<>();

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
        if (dumpDir != null) dump(sources, dumpDir);
        Map<String, String> missing = new LinkedHashMap<>();
        sources.forEach((name, source) -> {
            if (!CACHE.containsKey(name)) missing.put(name, source);
        });
        if (!missing.isEmpty()) compileNow(missing).forEach(CACHE::putIfAbsent);
        Map<String, Class<?>> out = new HashMap<>();
        for (String name : sources.keySet()) out.put(name, CACHE.get(name));
        return out;
    }

    private static Map<String, Class<?>> compileNow(Map<String, String> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new KilnException("the CPU backend generates kernels and needs a JDK (javax.tools), not a bare JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
             InMemoryClasses files = new InMemoryClasses(standard, classes)) {
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, source) -> units.add(new Source(name, source)));
            List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none", "-nowarn", "-XDsuppressNotes",
                    "-classpath", System.getProperty("java.class.path"));
            boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
            if (!ok) throw new KilnException("generated kernel failed to compile: " + firstError(diagnostics));
        } catch (IOException e) {
            throw new KilnException("generated kernels: " + e.getMessage(), e);
        }
        GeneratedClassLoader loader = new GeneratedClassLoader(KernelCompiler.class.getClassLoader(), classes);
        Map<String, Class<?>> out = new HashMap<>();
        for (String name : sources.keySet()) {
            try {
                out.put(name, loader.loadClass(PACKAGE + "." + name));
            } catch (ClassNotFoundException e) {
                throw new KilnException("generated kernel " + name + " compiled to no class", e);
            }
        }
        return out;
    }

    private static String firstError(DiagnosticCollector<JavaFileObject> diagnostics) {
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                return (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ") + d.getMessage(null);
            }
        }
        return "javac reported no error message";
    }

    private static void dump(Map<String, String> sources, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : sources.entrySet()) Files.writeString(dir.resolve(e.getKey() + ".java"), e.getValue());
        } catch (IOException e) {
            throw new KilnException(dir + ": cannot write generated kernels: " + e.getMessage(), e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String name, String code) {
            super(URI.create("string:///" + PACKAGE.replace('.', '/') + "/" + name + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) { return code; }
    }

    /** Keeps javac's class files in memory. */
    private static final class InMemoryClasses extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, ByteArrayOutputStream> classes;

        InMemoryClasses(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> classes) {
            super(standard);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                }
            };
        }
    }

    private static final class GeneratedClassLoader extends ClassLoader {
        private final Map<String, ByteArrayOutputStream> classes;

        GeneratedClassLoader(ClassLoader parent, Map<String, ByteArrayOutputStream> classes) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteArrayOutputStream bytes = classes.get(name);
            if (bytes == null) throw new ClassNotFoundException(name);
            byte[] b = bytes.toByteArray();
            return defineClass(name, b, 0, b.length);
        }
    }
}
