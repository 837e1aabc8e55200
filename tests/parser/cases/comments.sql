select A from T -- trailing comment
/* block
   comment */ ;;

;SeLeCt b FrOm "T";
-- only a comment
