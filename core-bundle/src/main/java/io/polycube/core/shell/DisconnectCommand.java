package io.polycube.core.shell;

import io.polycube.core.shell.completers.PortCompleter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:disconnect <instance>:<port>}: removes the peer (and the peer port's, if it names this one). */
@Command(scope = "pcn", name = "disconnect", description = "Disconnects a cube port (from a netdev, or from a cube port: both ends)")
@Service
public class DisconnectCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "port", description = "<instance>:<port>", required = true)
    @Completion(PortCompleter.class)
    String port;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).disconnect(port);
        return null;
    }
}
