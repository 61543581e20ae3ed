package dev.kiln.backend.cpu.plan;

import java.util.Map;

/** A step whose kernel is generated Java: the plan compiles every step's source in one javac run, then links them. */
public interface GeneratedStep extends Step {
    /** Simple class name → source of the kernels this step needs. */
    Map<String, String> sources();

    /** Hands the step its compiled classes, by simple class name. */
    void link(Map<String, Class<?>> classes);
}
