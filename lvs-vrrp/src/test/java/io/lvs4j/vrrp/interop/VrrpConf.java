package io.lvs4j.vrrp.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * A keepalived.conf with one {@code global_defs}, any {@code vrrp_script}s and one or more
 * {@code vrrp_instance}s, written the same way for keepalived and for lvs4j so both sides of a test
 * run exactly the same settings. Mutable builder; {@link #render()} gives the text.
 */
final class VrrpConf {

    /** One {@code vrrp_instance}. Defaults: VI_1, BACKUP, eth0, VRID 51, priority 100, v2, 1 s. */
    static final class Instance {
        private final String name;
        private String state = "BACKUP";
        private String iface = "eth0";
        private int vrid = 51;
        private int priority = 100;
        private int version = 2;
        private String advertInt = "1";
        private boolean nopreempt;
        private String authPass;
        private final List<String> vips = new ArrayList<>();
        private final List<String> trackScripts = new ArrayList<>();

        Instance(String name) {
            this.name = name;
        }

        String name() {
            return name;
        }

        int priority() {
            return priority;
        }

        int version() {
            return version;
        }

        /** The advert interval in seconds. */
        double advertIntSeconds() {
            return Double.parseDouble(advertInt);
        }

        int vrid() {
            return vrid;
        }

        String authPass() {
            return authPass;
        }

        List<String> vips() {
            return List.copyOf(vips);
        }

        Instance state(String state) {
            this.state = state;
            return this;
        }

        Instance vrid(int vrid) {
            this.vrid = vrid;
            return this;
        }

        Instance priority(int priority) {
            this.priority = priority;
            return this;
        }

        Instance version(int version) {
            this.version = version;
            return this;
        }

        /** {@code advert_int} as written: "1", "2", "0.1"… */
        Instance advertInt(String advertInt) {
            this.advertInt = advertInt;
            return this;
        }

        Instance nopreempt() {
            this.nopreempt = true;
            return this;
        }

        Instance authPass(String password) {
            this.authPass = password;
            return this;
        }

        Instance vip(String address) {
            vips.add(address);
            return this;
        }

        /** A {@code track_script} line: a script name, optionally followed by "weight -60". */
        Instance trackScript(String line) {
            trackScripts.add(line);
            return this;
        }

        private void render(StringBuilder sb) {
            sb.append("vrrp_instance ").append(name).append(" {\n");
            sb.append("    state ").append(state).append('\n');
            sb.append("    interface ").append(iface).append('\n');
            sb.append("    virtual_router_id ").append(vrid).append('\n');
            sb.append("    priority ").append(priority).append('\n');
            if (version != 2) {
                sb.append("    version ").append(version).append('\n');
            }
            sb.append("    advert_int ").append(advertInt).append('\n');
            if (nopreempt) {
                sb.append("    nopreempt\n");
            }
            if (authPass != null) {
                sb.append("    authentication {\n        auth_type PASS\n        auth_pass ")
                        .append(authPass).append("\n    }\n");
            }
            sb.append("    virtual_ipaddress {\n");
            for (String vip : vips) {
                sb.append("        ").append(vip).append("/24\n");
            }
            sb.append("    }\n");
            if (!trackScripts.isEmpty()) {
                sb.append("    track_script {\n");
                for (String t : trackScripts) {
                    sb.append("        ").append(t).append('\n');
                }
                sb.append("    }\n");
            }
            sb.append("}\n");
        }
    }

    /** One {@code vrrp_script}: runs {@code script} every {@code interval} seconds. */
    record Script(String name, String script, String interval, int weight, int rise, int fall) {
        private void render(StringBuilder sb) {
            sb.append("vrrp_script ").append(name).append(" {\n");
            sb.append("    script \"").append(script).append("\"\n");
            sb.append("    interval ").append(interval).append('\n');
            sb.append("    weight ").append(weight).append('\n');
            sb.append("    rise ").append(rise).append('\n');
            sb.append("    fall ").append(fall).append('\n');
            sb.append("}\n");
        }
    }

    private final String routerId;
    private final List<Script> scripts = new ArrayList<>();
    private final List<Instance> instances = new ArrayList<>();

    VrrpConf(String routerId) {
        this.routerId = routerId;
    }

    /** A conf with one instance, VI_1 (VRID 51), holding {@code vip}; configure it further with {@link #instance()}. */
    static VrrpConf single(String routerId, String vip) {
        VrrpConf conf = new VrrpConf(routerId);
        conf.add(new Instance("VI_1").vip(vip));
        return conf;
    }

    VrrpConf add(Instance instance) {
        instances.add(instance);
        return this;
    }

    VrrpConf add(Script script) {
        scripts.add(script);
        return this;
    }

    /** The first instance. */
    Instance instance() {
        return instances.get(0);
    }

    List<Instance> instances() {
        return List.copyOf(instances);
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("global_defs {\n    router_id ").append(routerId).append("\n}\n");
        for (Script s : scripts) {
            s.render(sb);
        }
        for (Instance i : instances) {
            i.render(sb);
        }
        return sb.toString();
    }
}
