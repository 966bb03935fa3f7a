package io.polycube.core.shell;

import io.polycube.core.shell.completers.TransparentCompleter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:detach <transparent-instance>}: removes the transparent cube from where it sits. */
@Command(scope = "pcn", name = "detach", description = "Detaches a transparent cube (it stays configured)")
@Service
public class DetachCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "cube", description = "A transparent cube instance", required = true)
    @Completion(TransparentCompleter.class)
    String cube;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).detach(cube);
        return null;
    }
}
