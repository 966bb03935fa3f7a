package io.polycube.core.shell.completers;

import io.polycube.core.shell.Completions;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completion for {@code pcn:set}. */
@Service
public class SetPathCompleter extends PathCompleter {
    @Override
    Completions.Mode mode() {
        return Completions.Mode.SET;
    }
}
