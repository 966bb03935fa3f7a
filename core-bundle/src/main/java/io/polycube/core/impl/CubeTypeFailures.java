package io.polycube.core.impl;

import io.polycube.core.model.Topology.CubeTypeFailure;
import io.polycube.core.model.Topology.FailureKind;
import io.polycube.core.spi.CubeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Cube types whose bundle is there but whose type is not. A component whose activation throws never
 * reaches the core's reference at all, so SCR's runtime view is asked (at read time, nothing is
 * tracked) for the CubeType components that failed or wait; registrations the core itself refused
 * are remembered here until their service goes away or a later one succeeds.
 */
final class CubeTypeFailures {
    private final ServiceComponentRuntime scr;
    private final Map<String, CubeTypeFailure> refused = new ConcurrentHashMap<>();

    CubeTypeFailures(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    void refused(CubeType type, Map<String, Object> properties, String reason) {
        Bundle bundle = FrameworkUtil.getBundle(type.getClass());
        String component = component(type, properties);
        refused.put(component, new CubeTypeFailure(component, bundle == null ? "" : bundle.getSymbolicName(),
            bundle == null ? "" : bundle.getVersion().toString(), FailureKind.REFUSED, reason));
    }

    void gone(CubeType type, Map<String, Object> properties) {
        refused.remove(component(type, properties));
    }

    List<CubeTypeFailure> list() {
        List<CubeTypeFailure> out = new ArrayList<>(refused.values());
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.serviceInterfaces == null
                    || !Arrays.asList(description.serviceInterfaces).contains(CubeType.class.getName())
                    || !scr.isComponentEnabled(description)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                failure(configuration).ifPresent(failure -> out.add(new CubeTypeFailure(description.name,
                    description.bundle.symbolicName, description.bundle.version, failure.kind(), failure.reason())));
            }
        }
        out.sort(Comparator.comparing(CubeTypeFailure::component));
        return out;
    }

    private record Failure(FailureKind kind, String reason) {
    }

    private static Optional<Failure> failure(ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return Optional.of(new Failure(FailureKind.ACTIVATION_FAILED, cause(configuration.failure)));
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                return Optional.of(new Failure(FailureKind.UNSATISFIED, "waits for "
                    + Arrays.stream(configuration.unsatisfiedReferences).map(CubeTypeFailures::describe)
                        .collect(Collectors.joining(", "))));
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return Optional.of(new Failure(FailureKind.UNSATISFIED, "waits for its configuration ("
                    + String.join(", ", configuration.description.configurationPid) + ")"));
            default:
                return Optional.empty();
        }
    }

    private static String describe(UnsatisfiedReferenceDTO reference) {
        return reference.name + (reference.target == null ? "" : " " + reference.target);
    }

    /** The innermost cause's line of a stack trace as SCR records it ({@code failure}), without the frames. */
    static String cause(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return "its activation failed (no reason recorded)";
        }
        String reason = stackTrace.lines().findFirst().orElse("").trim();
        for (String line : stackTrace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                reason = line.substring("Caused by: ".length()).trim();
            }
        }
        return reason;
    }

    private static String component(CubeType type, Map<String, Object> properties) {
        Object name = properties.get(ComponentConstants.COMPONENT_NAME);
        return name == null ? type.getClass().getName() : name.toString();
    }
}
