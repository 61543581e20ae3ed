package dev.kiln.backend.cpu.codegen;

import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.CompiledKernel;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles kernel sources with {@code javax.tools}, all in one javac run, into class-file bytes. The only class
 * of the backend that touches the compiler API: it is loaded only when a kernel is missing from the cache and from
 * the precompiled kernels, so a saved artifact runs where the {@code java.compiler} module is absent.
 */
final class JavacKernels {
    private JavacKernels() {}

    /** Kernel name → the compiled kernel, for {@code sources} (kernel name → source in {@link KernelCompiler#PACKAGE}). */
    static Map<String, CompiledKernel> compile(Map<String, String> sources) {
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
        Map<String, CompiledKernel> out = new LinkedHashMap<>();
        sources.forEach((name, source) -> {
            String binary = KernelCompiler.PACKAGE + "." + name;
            Map<String, byte[]> files = new HashMap<>();
            classes.forEach((className, bytes) -> {
                if (className.equals(binary) || className.startsWith(binary + "$")) files.put(className, bytes.toByteArray());
            });
            if (!files.containsKey(binary)) throw new KilnException("generated kernel " + name + " compiled to no class");
            out.put(name, new CompiledKernel(name, source, files));
        });
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

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String name, String code) {
            super(URI.create("string:///" + KernelCompiler.PACKAGE.replace('.', '/') + "/" + name + ".java"), Kind.SOURCE);
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
}
