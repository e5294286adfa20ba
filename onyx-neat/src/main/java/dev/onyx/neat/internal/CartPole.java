package dev.onyx.neat.internal;

import dev.onyx.neat.CartPoleState;

/**
 * One cart-pole simulation, neat-python's {@code cart_pole.CartPole}: leapfrog integration of the equations in R. V.
 * Florian, "Correct equations for the dynamics of the cart-pole system" (2007); mutable, one thread.
 */
public final class CartPole {
    public static final double GRAVITY = 9.8;
    public static final double CART_MASS = 1.0;
    public static final double POLE_MASS = 0.1;
    public static final double HALF_POLE_LENGTH = 0.5;
    public static final double TIME_STEP = 0.01;
    public static final double FORCE = 10.0;
    public static final double POSITION_LIMIT = 2.4;
    public static final double ANGLE_LIMIT = Math.toRadians(45.0);

    private double x;
    private double theta;
    private double dx;
    private double dtheta;
    private double xacc;
    private double tacc;

    public CartPole(CartPoleState start) {
        x = start.x();
        theta = start.theta();
        dx = start.dx();
        dtheta = start.dtheta();
    }

    /** Advances one time step with {@code force} newtons pushing the cart (positive to the right). */
    public void step(double force) {
        double mt = POLE_MASS + CART_MASS;
        double dt = TIME_STEP;
        double tacc0 = tacc;
        double xacc0 = xacc;
        x += dt * dx + 0.5 * xacc0 * dt * dt;
        theta += dt * dtheta + 0.5 * tacc0 * dt * dt;
        double st = Math.sin(theta);
        double ct = Math.cos(theta);
        double tacc1 = (GRAVITY * st + ct * (-force - POLE_MASS * HALF_POLE_LENGTH * dtheta * dtheta * st) / mt)
                / (HALF_POLE_LENGTH * (4.0 / 3.0 - POLE_MASS * ct * ct / mt));
        double xacc1 = (force + POLE_MASS * HALF_POLE_LENGTH * (dtheta * dtheta * st - tacc1 * ct)) / mt;
        dx += 0.5 * (xacc0 + xacc1) * dt;
        dtheta += 0.5 * (tacc0 + tacc1) * dt;
        tacc = tacc1;
        xacc = xacc1;
    }

    /** True once the cart left the track or the pole fell past the angle limit. */
    public boolean failed() {
        return Math.abs(x) >= POSITION_LIMIT || Math.abs(theta) >= ANGLE_LIMIT;
    }

    /** Writes the state scaled to about [0, 1] (neat-python's {@code get_scaled_state}) into {@code out[at..at+3]}. */
    public void scaledState(float[] out, int at) {
        out[at] = (float) (0.5 * (x + POSITION_LIMIT) / POSITION_LIMIT);
        out[at + 1] = (float) ((dx + 0.75) / 1.5);
        out[at + 2] = (float) (0.5 * (theta + ANGLE_LIMIT) / ANGLE_LIMIT);
        out[at + 3] = (float) ((dtheta + 1.0) / 2.0);
    }

    public CartPoleState state() {
        return new CartPoleState(x, dx, theta, dtheta);
    }
}
