package dev.kiln.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;
import java.util.Set;

/**
 * Gives each compiled model its own copy of the backend's classes (every class under {@code dev.kiln.backend.cpu},
 * defined again from the same class files), and delegates everything else — runtime, IR, interpreter, the JDK — to
 * the backend's own loader.
 *
 * <p>Why: C2 compiles the hand-written kernels from the type profiles their bytecode gathers, and profiles belong to
 * a class, not to a model. Once a second model sends other vector shapes through a shared method (attention narrows
 * its vectors for short heads, so {@code VectorMath.exp} sees 256- and 512-bit vectors), the method is compiled for
 * both, stops being inlined into the first model's loops, and every vector it passes or returns is boxed: measured
 * on {@code models/lstm} after {@code models/transformer} in one JVM, 338 KB allocated per inference against 0 in a
 * JVM of its own. With a copy per model, a host that runs several models gets each one compiled as if it were
 * alone, at the cost of loading the backend's classes once more and warming them up per model.
 *
 * <p>{@link #SHARED} classes are not copied: the cache of javac's output, so a kernel compiled for one model is not
 * compiled again for the next.
 */
final class ModelClassLoader extends ClassLoader {
    private static final String PREFIX = "dev.kiln.backend.cpu.";
    private static final Set<String> SHARED = Set.of("dev.kiln.backend.cpu.codegen.CompiledKernelCache");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader backend;
    private final ProtectionDomain domain;

    ModelClassLoader(ClassLoader backend) {
        super("kiln-cpu-model", backend);
        this.backend = backend;
        this.domain = ModelClassLoader.class.getProtectionDomain();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(PREFIX) || SHARED.contains(name)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) c = defineCopy(name);
            if (resolve) resolveClass(c);
            return c;
        }
    }

    private Class<?> defineCopy(String name) throws ClassNotFoundException {
        String file = name.replace('.', '/') + ".class";
        try (InputStream in = backend.getResourceAsStream(file)) {
            if (in == null) throw new ClassNotFoundException(name);
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + file, e);
        }
    }
}
