package dev.kiln.bench.report;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs Debian's headless Chromium on a local page, with a fresh profile and no network chatter, under a time limit;
 * any process it leaves behind is ended.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 90;

    private final Path workDir;

    /** Chromium keeping its profile and output under {@code workDir}. */
    HeadlessChromium(Path workDir) { this.workDir = workDir; }

    /** Skips the calling test when Chromium is absent, except under CI ({@code CI=true}), where that is a failure. */
    static void assumeInstalled() {
        if (Files.isExecutable(BINARY)) return;
        if ("true".equals(System.getenv("CI"))) {
            fail(BINARY + " is missing but CI=true: the report's browser test must run in CI (install Debian's chromium; .ci/run does)");
        }
        Assumptions.abort(BINARY + " is not installed (Debian package chromium); skipping the browser test");
    }

    /** The DOM Chromium built from {@code page}, serialized as HTML. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--dump-dom"), page);
    }

    /** Renders {@code page} in a {@code width × height} window into {@code png}. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars"), page);
        if (!Files.isRegularFile(png)) fail("chromium wrote no screenshot at " + png);
    }

    private String run(List<String> action, Path page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Path stdout = Files.createTempFile(workDir, "chromium", ".out");
        Path stderr = Files.createTempFile(workDir, "chromium", ".err");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(action);
        command.add(page.toUri().toString());
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        // Chromium forks helpers (zygote, renderer, GPU); remember them while it runs so none outlives the test.
        Set<ProcessHandle> started = new LinkedHashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        boolean finished = false;
        while (!finished && System.nanoTime() < deadline) {
            process.descendants().forEach(started::add);
            finished = process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        if (!finished) process.destroyForcibly();
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (!finished) fail("chromium did not finish within " + TIMEOUT_SECONDS + " s on " + page + "; stderr:\n" + tail(stderr));
        if (process.exitValue() != 0) fail("chromium exited with " + process.exitValue() + " on " + page + "; stderr:\n" + tail(stderr));
        return Files.readString(stdout);
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file);
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
