package io.polycube.core.shell;

import io.polycube.core.shell.completers.ShowPathCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:show [--json] [<instance> [<path>...]]}: all instances, or one node of one, as tables or RFC 7951 JSON. */
@Command(scope = "pcn", name = "show", description = "Shows cube instances, or a node of one (tables, or RFC 7951 JSON with --json)")
@Service
public class ShowCommand implements Action {

    @Reference
    ControlPlane plane;

    @Option(name = "--json", description = "Print the RFC 7951 JSON RESTCONF returns")
    boolean json;

    @Argument(index = 0, name = "path", description = "Instance, then list names, keys and leaf names",
        multiValued = true)
    @Completion(ShowPathCompleter.class)
    List<String> words;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).show(words == null ? List.of() : words, json, System.out);
        return null;
    }
}
