SELECT a /* never
closed