package io.polycube.core.shell;

import io.polycube.core.api.Polycube;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code pcn:list}: the cube types polycubed serves and their live instances. */
@Command(scope = "pcn", name = "list", description = "Lists cube types and their instances")
@Service
public class ListCommand implements Action {

    @Reference
    Polycube polycube;

    @Override
    public Object execute() {
        Map<String, String> instances = new TreeMap<>(polycube.instances());
        ShellTable table = new ShellTable();
        table.column("Cube type");
        table.column("Instance");
        for (String type : new java.util.TreeSet<>(polycube.cubeTypes())) {
            boolean any = false;
            for (Map.Entry<String, String> instance : instances.entrySet()) {
                if (instance.getValue().equals(type)) {
                    table.addRow().addContent(type, instance.getKey());
                    any = true;
                }
            }
            if (!any) {
                table.addRow().addContent(type, "-");
            }
        }
        table.print(System.out);
        return null;
    }
}
