package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import io.polycube.core.shell.ControlPlane;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes a peer: a netdev of this namespace or {@code instance:port}. */
@Service
public class PeerCompleter extends WordCompleter {

    @Reference
    ControlPlane plane;

    @Override
    List<Completions.Word> candidates(List<String> before, String prefix) {
        return new Completions(plane).peers(prefix);
    }
}
