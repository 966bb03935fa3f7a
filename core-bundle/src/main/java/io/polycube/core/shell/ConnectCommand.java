package io.polycube.core.shell;

import io.polycube.core.shell.completers.PeerCompleter;
import io.polycube.core.shell.completers.PortCompleter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:connect <instance>:<port> <netdev | instance:port>}: sets the peer (both ends for a cube port). */
@Command(scope = "pcn", name = "connect", description = "Connects a cube port to a netdev or to another cube port (both ends set, one transaction)")
@Service
public class ConnectCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "port", description = "<instance>:<port>", required = true)
    @Completion(PortCompleter.class)
    String port;

    @Argument(index = 1, name = "peer", description = "A netdev or <instance>:<port>", required = true)
    @Completion(PeerCompleter.class)
    String peer;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).connect(port, peer);
        return null;
    }
}
