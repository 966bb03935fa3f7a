package io.polycube.core.shell;

import io.polycube.core.shell.completers.TransparentCompleter;
import io.polycube.core.shell.completers.PeerCompleter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * {@code pcn:attach [--direction INGRESS|EGRESS] [--position first|last | --before X | --after X]
 * <transparent-instance> <instance:port | netdev>}: sets parent, direction and position in one merge (Karaf
 * takes options before the arguments).
 */
@Command(scope = "pcn", name = "attach", description = "Attaches a transparent cube to a cube port or a netdev")
@Service
public class AttachCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "cube", description = "A transparent cube instance", required = true)
    @Completion(TransparentCompleter.class)
    String cube;

    @Argument(index = 1, name = "parent", description = "<instance>:<port> or a netdev", required = true)
    @Completion(PeerCompleter.class)
    String parent;

    @Option(name = "--direction", description = "INGRESS (default) or EGRESS")
    @Completion(value = StringsCompleter.class, values = {"INGRESS", "EGRESS"})
    String direction = "INGRESS";

    @Option(name = "--position", description = "first or last (default) among the cubes already there")
    @Completion(value = StringsCompleter.class, values = {"first", "last"})
    String position = "last";

    @Option(name = "--before", description = "Just before this transparent cube")
    @Completion(TransparentCompleter.class)
    String before;

    @Option(name = "--after", description = "Just after this transparent cube")
    @Completion(TransparentCompleter.class)
    String after;

    @Override
    public Object execute() throws ConsoleException {
        if (before != null && after != null) {
            throw new ConsoleException("give --before or --after, not both");
        }
        String where = before != null ? "before " + before : after != null ? "after " + after : position;
        new Console(plane).attach(cube, parent, direction, where);
        return null;
    }
}
