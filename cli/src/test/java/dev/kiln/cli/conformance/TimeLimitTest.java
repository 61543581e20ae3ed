package dev.kiln.cli.conformance;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeLimitTest {
    private final TimeLimit limit = new TimeLimit(Duration.ofMillis(300), Duration.ofSeconds(5));

    @Test
    void aTaskThatFinishesReturnsItsValue() {
        var outcome = limit.run("quick", () -> 42);
        assertEquals(42, assertInstanceOf(TimeLimit.Outcome.Done.class, outcome).value());
    }

    @Test
    void aTaskThatLoopsUntilInterruptedIsInterruptedAtTheLimit() {
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        long start = System.nanoTime();
        var outcome = limit.run("loop", () -> {
            while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
            sawInterrupt.set(true);
            return 0;
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        var timedOut = assertInstanceOf(TimeLimit.Outcome.TimedOut.class, outcome);
        assertTrue(timedOut.stopped(), "the worker stopped after the interrupt");
        assertTrue(sawInterrupt.get());
        assertTrue(millis >= 300 && millis < 4000, "took " + millis + " ms");
    }

    @Test
    void aTaskThatIgnoresInterruptsIsReportedAsStillRunning() {
        TimeLimit shortGrace = new TimeLimit(Duration.ofMillis(100), Duration.ofMillis(100));
        AtomicBoolean release = new AtomicBoolean();
        var outcome = shortGrace.run("stubborn", () -> {
            while (!release.get()) Thread.onSpinWait();
            return 0;
        });
        release.set(true);
        assertTrue(!assertInstanceOf(TimeLimit.Outcome.TimedOut.class, outcome).stopped());
    }

    @Test
    void errorsOfTheWorkerComeBackAsCrashes() {
        var oom = limit.run("oom", () -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertInstanceOf(OutOfMemoryError.class, assertInstanceOf(TimeLimit.Outcome.Crashed.class, oom).error());
        var deep = new TimeLimit(Duration.ofSeconds(60), Duration.ofSeconds(5), 1 << 20).run("deep", TimeLimitTest::recurse);
        assertInstanceOf(StackOverflowError.class, assertInstanceOf(TimeLimit.Outcome.Crashed.class, deep).error());
    }

    private static int recurse() { return recurse() + 1; }
}
