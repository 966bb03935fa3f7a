package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import io.polycube.core.shell.ControlPlane;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Completes the words of a path command along the YANG model of the instance named first. */
abstract class PathCompleter extends WordCompleter {

    @Reference
    ControlPlane plane;

    abstract Completions.Mode mode();

    @Override
    List<Completions.Word> candidates(List<String> before, String prefix) {
        return new Completions(plane).path(mode(), before, prefix);
    }
}
