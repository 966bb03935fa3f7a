package io.polycube.core.shell;

import io.polycube.core.shell.completers.AddPathCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code pcn:add <type> <name> [leaf=value...]} or {@code pcn:add <instance> <list> <key> [leaf=value...]}. */
@Command(scope = "pcn", name = "add", description = "Creates a cube instance (add <type> <name> leaf=value...) or a list entry (add <instance> <list> <key> leaf=value...)")
@Service
public class AddCommand implements Action {

    @Reference
    ControlPlane plane;

    @Argument(index = 0, name = "words", description = "<type> <name> or <instance> <list> <key>, then leaf=value ...",
        required = true, multiValued = true)
    @Completion(AddPathCompleter.class)
    List<String> words;

    @Override
    public Object execute() throws ConsoleException {
        new Console(plane).add(words);
        return null;
    }
}
