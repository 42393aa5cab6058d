! A do while loop, the move tested at the end, single precision, formatted output.
program kmeans_dw
  implicit none
  integer :: n, nd, i, j, it, b
  integer, parameter :: k = 4
  real, allocatable :: pts(:,:), cen(:,:), acc(:,:)
  integer :: cnt(k)
  real :: e, mv, d, bd, u
  open(1, file="kmeans_input_file_2d.dat", status="old")
  read(1,*) nd, n
  allocate(pts(nd, n), cen(nd, k), acc(nd, k))
  read(1,*) (pts(j, :), j = 1, nd)
  close(1)
  call random_seed()
  do j = 1, k
    call random_number(u)
    i = int(u * n) + 1
    if (i > n) i = n
    cen(:, j) = pts(:, i)
  end do
  it = 0
  mv = 1.0
  do while (mv > 0.001 .and. it < 100)
    it = it + 1
    acc = 0.0
    cnt = 0
    e = 0.0
    do i = 1, n
      b = 1
      bd = huge(1.0)
      do j = 1, k
        d = sum((pts(:, i) - cen(:, j))**2)
        if (d < bd) then
          bd = d
          b = j
        end if
      end do
      cnt(b) = cnt(b) + 1
      acc(:, b) = acc(:, b) + pts(:, i)
      e = e + bd
    end do
    mv = 0.0
    do j = 1, k
      if (cnt(j) /= 0) then
        acc(:, j) = acc(:, j) / cnt(j)
        mv = mv + sum((acc(:, j) - cen(:, j))**2)
        cen(:, j) = acc(:, j)
      end if
    end do
    write(*, '(A, I4, A, ES14.6, A, ES14.6)') "Step :", it, " error :", e / n, " cent. move :", mv
  end do
  open(2, file="kmeans_output_2d.dat", status="replace")
  write(2, '(2I6)') nd, k
  do j = 1, k
    write(2, '(*(ES16.8))') cen(:, j)
  end do
  close(2)
end program kmeans_dw
