package io.polycube.core.shell;

import io.polycube.core.shell.completers.SetPathCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:set <instance> [<list> <key>...] leaf=value...}: a merge (PATCH), like polycubectl set. */
@Command(scope = "pcn", name = "set", description = "Changes leaves of an instance or of one of its list entries (a RESTCONF merge)")
@Service
public class SetCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "words", description = "<instance> [<list> <key> ...] <leaf>=<value> ...",
        required = true, multiValued = true)
    @Completion(SetPathCompleter.class)
    List<String> words;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).set(words);
        return null;
    }
}
