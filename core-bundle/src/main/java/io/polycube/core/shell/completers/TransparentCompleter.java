package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import io.polycube.core.shell.ControlPlane;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the names of transparent cube instances. */
@Service
public class TransparentCompleter extends WordCompleter {

    @Reference
    ControlPlane plane;

    @Override
    List<Completions.Word> candidates(List<String> before, String prefix) {
        return new Completions(plane).transparent(prefix);
    }
}
