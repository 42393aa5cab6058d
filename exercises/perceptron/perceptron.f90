! The perceptron: complete the procedures marked TODO.
!
! A layer of binary threshold neurons, as in the course:
! - the inputs get an extra constant input, the bias, equal to -1, appended as the last column;
! - for output k, h = sum_j w(j, k) * x(j) over the inputs including the bias; the output is 1 if h > 0, else 0;
! - learning, one sample at a time (on-line): w(j, k) = w(j, k) - eta * (y(k) - t(k)) * x(j);
! - an epoch presents every sample once, in an order shuffled at every epoch.
!
! Compile and run the course workflow (the OR gate, then iris; reads iris.data from the current folder):
!     gfortran -O2 perceptron.f90 -o perceptron
!     ./perceptron
! Check your procedures:
!     grader check perceptron --path perceptron.f90
!
! Conventions (the grader calls these procedures directly, so keep their interfaces):
! - in_dim is the number of inputs WITHOUT the bias: inputs are x(n, in_dim + 1), sample i is x(i, :), the bias last;
! - the weights are w(in_dim + 1, out_dim): w(j, k) goes from input j to output k;
! - outputs y(n, out_dim) and targets t(n, out_dim) are integers 0 or 1;
! - classes are numbered from 1: cm(p, q) counts the samples of predicted class p and target class q;
! - the arrays you fill (intent(inout), the last arguments) hold garbage when you receive them: set every entry;
! - never modify an argument declared intent(in).
! You may compute in default real (single precision) inside, as the course does; the arrays are real(c_double).
module perceptron_mod
  use iso_c_binding
  implicit none

  ! The grader's marker for "not written yet": delete the "not_implemented = 1" line of a procedure when
  ! you write it.
  integer(c_int), bind(C, name="not_implemented") :: not_implemented = 0

contains

  ! ---- given: a small random generator (splitmix64), seeded by the caller ----

  function next_random(state) result(z) bind(C, name="next_random")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int64_t) :: z
    state = wrapped(state, -7046029254386353131_c_int64_t, .false.)
    z = state
    z = wrapped(ieor(z, ishft(z, -30)), -4658895280553007687_c_int64_t, .true.)
    z = wrapped(ieor(z, ishft(z, -27)), -7723592293110705685_c_int64_t, .true.)
    z = ieor(z, ishft(z, -31))
  end function next_random

  ! a * b (product) or a + b, modulo 2**64 like C's uint64_t.  Fortran has no unsigned integers and an
  ! overflow lets the compiler break the program, so the arithmetic is done on 16-bit pieces.
  function wrapped(a, b, product) result(r)
    integer(c_int64_t), intent(in) :: a, b
    logical, intent(in) :: product
    integer(c_int64_t) :: r, x(0:3), y(0:3), v, carry
    integer :: i, k
    do i = 0, 3
      x(i) = iand(ishft(a, -16 * i), 65535_c_int64_t)
      y(i) = iand(ishft(b, -16 * i), 65535_c_int64_t)
    end do
    r = 0
    carry = 0
    do k = 0, 3
      v = carry
      if (product) then
        do i = 0, k
          v = v + x(i) * y(k - i)
        end do
      else
        v = v + x(k) + y(k)
      end if
      r = ior(r, ishft(iand(v, 65535_c_int64_t), 16 * k))
      carry = ishft(v, -16)
    end do
  end function wrapped

  ! A random index in 1..n.
  function random_index(state, n) result(i) bind(C, name="random_index")
    integer(c_int64_t), intent(inout) :: state
    integer(c_int), value :: n
    integer(c_int) :: i
    i = int(modulo(ishft(next_random(state), -1), int(n, c_int64_t)), c_int) + 1
  end function random_index

  ! Shuffle order(1:n) in place (Fisher-Yates) with the generator.
  subroutine shuffle(order, n, state) bind(C, name="shuffle")
    integer(c_int), value :: n
    integer(c_int), intent(inout) :: order(n)
    integer(c_int64_t), intent(inout) :: state
    integer(c_int) :: i, j, swap
    do i = n, 2, -1
      j = random_index(state, i)
      swap = order(i)
      order(i) = order(j)
      order(j) = swap
    end do
  end subroutine shuffle

  ! ---- to complete ----

  ! xb = the inputs x with a last column of -1, the bias input.
  subroutine add_bias(x, n, in_dim, xb) bind(C, name="add_bias")
    integer(c_int), value :: n, in_dim
    real(c_double), intent(in) :: x(n, in_dim)
    real(c_double), intent(inout) :: xb(n, in_dim + 1)
    ! TODO
    not_implemented = 1
  end subroutine add_bias

  ! Outputs for every sample: y(i, k) = 1 when h = sum_j x(i, j) * w(j, k) > 0, else 0 (h = 0 gives 0).
  ! x already holds the bias column.
  subroutine forward(x, n, in_dim, w, out_dim, y) bind(C, name="forward")
    integer(c_int), value :: n, in_dim, out_dim
    real(c_double), intent(in) :: x(n, in_dim + 1), w(in_dim + 1, out_dim)
    integer(c_int), intent(inout) :: y(n, out_dim)
    ! TODO
    not_implemented = 1
  end subroutine forward

  ! One step of the learning rule for ONE sample x (with its bias), its outputs y and targets t:
  ! new_w(j, k) = w(j, k) - eta * (y(k) - t(k)) * x(j).  w is left unchanged.
  subroutine update(x, in_dim, y, t, out_dim, w, eta, new_w) bind(C, name="update")
    integer(c_int), value :: in_dim, out_dim
    real(c_double), intent(in) :: x(in_dim + 1), w(in_dim + 1, out_dim)
    integer(c_int), intent(in) :: y(out_dim), t(out_dim)
    real(c_double), value :: eta
    real(c_double), intent(inout) :: new_w(in_dim + 1, out_dim)
    ! TODO
    not_implemented = 1
  end subroutine update

  ! On-line training for epochs epochs from the weights w0; the final weights go into w.
  ! Every epoch presents each sample once, in an order shuffled with the generator started at state = seed
  ! (state = seed; ... call shuffle(order, n, state) at the start of every epoch): compute the sample's outputs
  ! with forward; when one differs from its target, count a mistake and apply update.
  ! mistakes(e) = the number of samples whose outputs were wrong in epoch e.
  subroutine train(x, n, in_dim, t, out_dim, w0, eta, epochs, seed, w, mistakes) bind(C, name="train")
    integer(c_int), value :: n, in_dim, out_dim, epochs
    real(c_double), intent(in) :: x(n, in_dim + 1), w0(in_dim + 1, out_dim)
    integer(c_int), intent(in) :: t(n, out_dim)
    real(c_double), value :: eta
    integer(c_int64_t), value :: seed
    real(c_double), intent(inout) :: w(in_dim + 1, out_dim)
    integer(c_int), intent(inout) :: mistakes(epochs)
    ! TODO
    not_implemented = 1
  end subroutine train

  ! Confusion matrix of outputs y against targets t.  The class of a row is the index of its largest value
  ! (the first on ties, maxloc); with one output, class 2 when the value is above 0.5, else class 1.
  ! cm(p, q) = number of samples predicted p whose target is q, for p, q in 1..max(out_dim, 2).
  subroutine confusion_matrix(y, n, out_dim, t, cm) bind(C, name="confusion_matrix")
    integer(c_int), value :: n, out_dim
    real(c_double), intent(in) :: y(n, out_dim), t(n, out_dim)
    integer(c_int), intent(inout) :: cm(max(out_dim, 2), max(out_dim, 2))
    ! TODO
    not_implemented = 1
  end subroutine confusion_matrix

  ! Scores of a confusion matrix: recall(i) = cm(i, i) / sum(cm(:, i)), precision(i) = cm(i, i) / sum(cm(i, :))
  ! (0 when that sum is 0); the result is the accuracy, trace / total.
  function class_scores(cm, nc, recall, precision) result(accuracy) bind(C, name="class_scores")
    integer(c_int), value :: nc
    integer(c_int), intent(in) :: cm(nc, nc)
    real(c_double), intent(inout) :: recall(nc), precision(nc)
    real(c_double) :: accuracy
    ! TODO
    not_implemented = 1
    accuracy = 0.0d0
  end function class_scores

end module perceptron_mod

! ---- the course program: the OR gate, then iris (given) ----
module perceptron_program
  use perceptron_mod
  implicit none
contains

  ! Print a confusion matrix with the recall and precision of each class and the accuracy.
  subroutine print_confusion(cm, nc)
    integer(c_int), intent(in) :: nc, cm(nc, nc)
    real(c_double) :: recall(nc), precision(nc), accuracy
    integer :: p
    accuracy = class_scores(cm, nc, recall, precision)
    write(*, "(a)") "confusion matrix (rows: predicted class, columns: target class)"
    do p = 1, nc
      write(*, "(3x, *(i6))") cm(p, :)
    end do
    write(*, "(a, *(f7.2))") "recall   ", recall
    write(*, "(a, *(f7.2))") "precision", precision
    write(*, "(a, f6.3)") "accuracy  ", accuracy
  end subroutine print_confusion

  ! Train a layer on the inputs (without bias) and targets, print the mistakes and the confusion matrix.
  ! missing = .true. when a procedure is not implemented yet.
  function run(name, inputs, n, in_dim, t, out_dim, eta, epochs, seed) result(missing)
    character(*), intent(in) :: name
    integer(c_int), intent(in) :: n, in_dim, out_dim, epochs
    real(c_double), intent(in) :: inputs(n, in_dim), eta
    integer(c_int), intent(in) :: t(n, out_dim)
    integer(c_int64_t), intent(in) :: seed
    logical :: missing
    real(c_double) :: x(n, in_dim + 1), w0(in_dim + 1, out_dim), w(in_dim + 1, out_dim)
    integer(c_int) :: mistakes(epochs), y(n, out_dim), cm(max(out_dim, 2), max(out_dim, 2))
    integer(c_int64_t) :: state
    integer :: j, k
    state = seed
    do k = 1, out_dim   ! weights uniform in [-0.01, 0.01]
      do j = 1, in_dim + 1
        w0(j, k) = 0.02d0 * (real(ishft(next_random(state), -11), c_double) * 2.0d0**(-53)) - 0.01d0
      end do
    end do
    call add_bias(inputs, n, in_dim, x)
    call train(x, n, in_dim, t, out_dim, w0, eta, epochs, next_random(state), w, mistakes)
    call forward(x, n, in_dim, w, out_dim, y)
    call confusion_matrix(real(y, c_double), n, out_dim, real(t, c_double), cm)
    missing = not_implemented /= 0
    if (.not. missing) then
      write(*, "(a, a, i0, a, i0, a, i0, a, f4.2)") "--- ", name // ": ", n, " samples, ", in_dim, " inputs, ", &
        out_dim, " output(s), eta = ", eta
      write(*, "(a, *(1x, i0))") "mistakes per epoch:", mistakes(1:min(epochs, 20))
      call print_confusion(cm, max(out_dim, 2))
      missing = not_implemented /= 0
    end if
    if (missing) write(*, "(a)") name // ": some procedures are not implemented yet"
  end function run

end module perceptron_program

program main
  use perceptron_program
  implicit none
  real(c_double) :: x_or(4, 2), table(5), features(200, 4)
  integer(c_int) :: t_or(4, 1), targets(200, 3), n, j, k, status
  character(256) :: line
  x_or = reshape([0, 0, 1, 1, 0, 1, 0, 1], [4, 2])
  t_or(:, 1) = [0, 1, 1, 1]
  if (run("OR gate", x_or, 4, 2, t_or, 1, 0.1d0, 20, 1_c_int64_t)) stop 1

  ! Iris: 4 features normalised (minus the mean, over the largest absolute value), 3 classes one-hot.
  open(10, file="iris.data", status="old", action="read", iostat=status)
  if (status /= 0) then
    write(*, "(a)") "cannot read iris.data: copy it next to this program"
    stop 1
  end if
  n = 0
  do
    read(10, "(a)", iostat=status) line
    if (status /= 0) exit
    if (line(1:1) == "#" .or. len_trim(line) == 0) cycle
    read(line, *) table
    n = n + 1
    features(n, :) = table(1:4)
    targets(n, :) = 0
    targets(n, int(table(5)) + 1) = 1
  end do
  close(10)
  do j = 1, 4
    features(1:n, j) = features(1:n, j) - sum(features(1:n, j)) / n
    features(1:n, j) = features(1:n, j) / maxval(abs(features(1:n, j)))
  end do
  k = 3
  if (run("iris", features(1:n, :), n, 4, targets(1:n, :), k, 0.1d0, 100, 2_c_int64_t)) stop 1
end program main
