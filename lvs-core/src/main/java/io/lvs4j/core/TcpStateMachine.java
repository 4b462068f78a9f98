package io.lvs4j.core;

import static io.lvs4j.core.ConnectionState.CLOSE;
import static io.lvs4j.core.ConnectionState.CLOSE_WAIT;
import static io.lvs4j.core.ConnectionState.ESTABLISHED;
import static io.lvs4j.core.ConnectionState.FIN_WAIT;
import static io.lvs4j.core.ConnectionState.LAST_ACK;
import static io.lvs4j.core.ConnectionState.LISTEN;
import static io.lvs4j.core.ConnectionState.NONE;
import static io.lvs4j.core.ConnectionState.SYNACK;
import static io.lvs4j.core.ConnectionState.SYN_RECV;
import static io.lvs4j.core.ConnectionState.SYN_SENT;
import static io.lvs4j.core.ConnectionState.TIME_WAIT;

/**
 * IPVS's TCP state transitions (spec §2.3): for a direction (INPUT, OUTPUT, INPUT_ONLY), the
 * packet's most significant flag (RST, then SYN, then FIN, then ACK; none of them means CLOSE) and
 * the current state, the next state. Both the normal and the secure_tcp tables.
 */
final class TcpStateMachine {
    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int INPUT_ONLY = 2;

    private static final int SYN = 0;
    private static final int FIN = 1;
    private static final int ACK = 2;
    private static final int RST = 3;

    private static final ConnectionState[] TCP_STATES = {
            NONE, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, SYNACK};

    /** [secure][direction][flag][state ordinal] */
    private static final ConnectionState[][][][] TABLES = new ConnectionState[2][3][4][11];

    static {
        // Rows in the spec's order NO ES SS SR FW TW CL CW LA LI SA; each cell is SYN/FIN/ACK/RST.
        String[] input = {
                "SR/CL/ES/CL", "ES/CW/ES/CL", "ES/SS/SS/CL", "SR/TW/ES/SR", "SR/TW/FW/CL", "SR/TW/TW/CL",
                "SR/CL/CL/CL", "SR/CW/CW/CL", "SR/LA/CL/LA", "SR/LI/LI/LI", "SR/TW/ES/SR"};
        String[] output = {
                "SS/TW/ES/CL", "ES/FW/ES/CL", "SS/SS/SS/SS", "SR/TW/ES/CL", "SS/FW/FW/CL", "SS/TW/TW/TW",
                "SS/CL/CL/CL", "SS/TW/CW/CL", "SS/LA/LA/CL", "LI/LI/ES/CL", "SR/TW/ES/CL"};
        String[] inputOnly = {
                "SR/CL/ES/CL", "ES/FW/ES/CL", "ES/SS/SS/CL", "SR/TW/ES/SR", "SR/FW/FW/CL", "SR/TW/TW/CL",
                "SR/CL/CL/CL", "SR/CW/CW/CL", "SR/LA/CL/LA", "SR/LI/LI/LI", "SR/TW/ES/CL"};
        fill(0, INPUT, input);
        fill(0, OUTPUT, output);
        fill(0, INPUT_ONLY, inputOnly);
        fill(1, INPUT, input);
        fill(1, OUTPUT, output);
        fill(1, INPUT_ONLY, inputOnly);
        // secure_tcp (tcp_states_dos) differences
        ConnectionState[][] in = TABLES[1][INPUT];
        in[ACK][SYN_RECV.ordinal()] = SYN_RECV;
        in[SYN][SYNACK.ordinal()] = SYNACK;
        in[FIN][SYNACK.ordinal()] = SYNACK;
        in[ACK][SYNACK.ordinal()] = SYNACK;
        in[RST][SYNACK.ordinal()] = CLOSE;
        ConnectionState[][] out = TABLES[1][OUTPUT];
        out[SYN][SYN_RECV.ordinal()] = SYNACK;
        out[SYN][SYNACK.ordinal()] = SYNACK;
        ConnectionState[][] only = TABLES[1][INPUT_ONLY];
        for (ConnectionState s : new ConnectionState[]{NONE, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, SYNACK}) {
            only[SYN][s.ordinal()] = SYNACK;
        }
    }

    private static void fill(int secure, int direction, String[] rows) {
        for (int state = 0; state < rows.length; state++) {
            String[] cells = rows[state].split("/");
            for (int flag = 0; flag < 4; flag++) {
                TABLES[secure][direction][flag][state] = abbreviation(cells[flag]);
            }
        }
    }

    private static ConnectionState abbreviation(String a) {
        return switch (a) {
            case "NO" -> NONE;
            case "ES" -> ESTABLISHED;
            case "SS" -> SYN_SENT;
            case "SR" -> SYN_RECV;
            case "FW" -> FIN_WAIT;
            case "TW" -> TIME_WAIT;
            case "CL" -> CLOSE;
            case "CW" -> CLOSE_WAIT;
            case "LA" -> LAST_ACK;
            case "LI" -> LISTEN;
            case "SA" -> SYNACK;
            default -> throw new IllegalArgumentException(a);
        };
    }

    private TcpStateMachine() {
    }

    /** The next state; {@code current} must be one of the eleven TCP states. */
    static ConnectionState next(boolean secure, int direction, int tcpFlags, ConnectionState current) {
        int flag;
        if ((tcpFlags & TcpFlags.RST) != 0) {
            flag = RST;
        } else if ((tcpFlags & TcpFlags.SYN) != 0) {
            flag = SYN;
        } else if ((tcpFlags & TcpFlags.FIN) != 0) {
            flag = FIN;
        } else if ((tcpFlags & TcpFlags.ACK) != 0) {
            flag = ACK;
        } else {
            return CLOSE;
        }
        return TABLES[secure ? 1 : 0][direction][flag][current.ordinal()];
    }

    static boolean isTcpState(ConnectionState s) {
        return s.ordinal() < TCP_STATES.length;
    }
}
