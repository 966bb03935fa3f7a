package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completion for {@code pcn:del}. */
@Service
public class DelPathCompleter extends PathCompleter {
    @Override
    Completions.Mode mode() {
        return Completions.Mode.DEL;
    }
}
