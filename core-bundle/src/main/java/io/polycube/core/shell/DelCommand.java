package io.polycube.core.shell;

import io.polycube.core.shell.completers.DelPathCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:del <instance> [<list> <key> | <leaf>...]}: deletes an instance or a node of one. */
@Command(scope = "pcn", name = "del", description = "Deletes an instance, a list entry, a leaf or a leaf-list value")
@Service
public class DelCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "path", description = "<instance> [<list> <key> | <leaf> ...]", required = true,
        multiValued = true)
    @Completion(DelPathCompleter.class)
    List<String> words;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).del(words);
        return null;
    }
}
