package dev.kiln.bench.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMH's annotation processor listed every benchmark of every catalogued class, and nothing the catalogue lacks. */
class BenchmarkListTest {

    @Test
    void theGeneratedListHasEveryCataloguedBenchmarkAndNoOther() throws IOException {
        Set<String> listed;
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            assertNotNull(in, BenchmarkList.BENCHMARK_LIST + " is missing: the JMH annotation processor did not run");
            listed = BenchmarkList.readBenchmarkList(in).stream().map(BenchmarkListEntry::getUsername)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> declared = new TreeSet<>();
        for (Class<?> type : KernelCatalog.all()) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) declared.add(type.getName() + "." + m.getName());
            }
        }
        assertEquals(declared, listed);
    }

    @Test
    void everyKernelHasABackendBenchmarkAndAScalarBaseline() throws NoSuchMethodException {
        for (KernelCatalog.Kernel kernel : KernelCatalog.KERNELS) {
            Set<String> methods = new TreeSet<>();
            for (Method m : kernel.type().getDeclaredMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) methods.add(m.getName());
            }
            assertEquals(Set.of("backend", "scalar"), methods, kernel.type().getSimpleName());
        }
        assertTrue(KernelCatalog.all().containsAll(KernelCatalog.PROBES));
    }

    @Test
    void everyLibraryBenchmarkHasAScalarBaseline() {
        for (Class<?> type : KernelCatalog.LIBRARY) {
            Set<String> methods = new TreeSet<>();
            for (Method m : type.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) methods.add(m.getName());
            }
            assertTrue(methods.stream().anyMatch(m -> m.endsWith("Vector")), type.getSimpleName());
            for (String m : methods) {
                assertTrue(m.endsWith("Vector") || m.endsWith("Scalar"), type.getSimpleName() + "." + m);
                if (m.endsWith("Vector")) {
                    String baseline = m.substring(0, m.length() - "Vector".length()) + "Scalar";
                    assertTrue(methods.contains(baseline), type.getSimpleName() + "." + m + " lacks " + baseline);
                }
            }
        }
    }
}
