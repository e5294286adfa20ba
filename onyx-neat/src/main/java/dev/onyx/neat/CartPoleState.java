package dev.onyx.neat;

/**
 * A cart-pole state; an immutable record.
 *
 * @param x cart position in metres (0 is the track centre)
 * @param dx cart velocity in metres per second
 * @param theta pole angle from upright in radians
 * @param dtheta pole angular velocity in radians per second
 */
public record CartPoleState(double x, double dx, double theta, double dtheta) {}
